import { closeSync, constants, openSync, readSync } from 'node:fs';

/** What one drain of the device returned. */
export interface KmsgRead {
  /** Raw text read (one record per read() on the device; possibly many from a regular file). */
  readonly text: string;
  /** EPIPE answers: the reader fell behind and records were overwritten before they were read. */
  readonly overwritten: number;
  /** True when the read stopped because the read budget ran out (more may be waiting). */
  readonly truncated: boolean;
}

/** Large enough for any record: the kernel formats at most CONSOLE_EXT_LOG_MAX (8 KiB) per record. */
const RECORD_BUFFER = 16 * 1024;

/**
 * /dev/kmsg opened O_RDONLY|O_NONBLOCK. Opening positions the reader at the first record still in the ring
 * buffer; each read() returns one record, EAGAIN when none is left (never blocks), EPIPE when the next record
 * was overwritten (the kernel then moves the reader to the oldest available one). A regular file at the same
 * path (a saved capture) also works: reads return many records, and 0 at its end.
 */
export class KmsgReader {
  private fd: number | null = null;
  private readonly buffer = Buffer.alloc(RECORD_BUFFER);

  constructor(readonly path: string) {}

  /** Throws the open error (EACCES, EPERM, ENOENT …). */
  open(): void {
    if (this.fd !== null) return;
    this.fd = openSync(this.path, constants.O_RDONLY | constants.O_NONBLOCK);
  }

  get isOpen(): boolean {
    return this.fd !== null;
  }

  /** Reads until no record is left or `maxReads` reads were made. Synchronous, but never waits. */
  drain(maxReads: number): KmsgRead {
    if (this.fd === null) throw new Error('kmsg reader is not open');
    const parts: string[] = [];
    let overwritten = 0;
    for (let reads = 0; reads < maxReads; reads++) {
      let size: number;
      try {
        size = readSync(this.fd, this.buffer, 0, this.buffer.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK')
          return { text: parts.join(''), overwritten, truncated: false };
        if (code === 'EPIPE') {
          overwritten += 1;
          continue;
        }
        throw error;
      }
      if (size === 0) return { text: parts.join(''), overwritten, truncated: false };
      parts.push(this.buffer.toString('utf8', 0, size));
    }
    return { text: parts.join(''), overwritten, truncated: true };
  }

  close(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } finally {
      this.fd = null;
    }
  }
}

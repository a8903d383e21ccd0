import type { MatchedLine } from '../domain/kernel-events/coalesce-kernel-events.js';
import { kernelTimeToWall } from '../domain/kernel-events/kernel-wall-time.js';
import { type MatchContext, matchKernelSignature } from '../domain/kernel-events/match-kernel-signature.js';
import { parseKmsgRecord } from '../domain/kernel-events/parse-kmsg-record.js';
import type { KmsgStart } from '../domain/kernel-events/plan-kmsg-start.js';
import { splitKmsgRecords } from '../domain/kernel-events/split-kmsg-records.js';
import type { KmsgReader } from '../os/kmsg.reader.js';

/** Kernel facility (LOG_KERN); records written by userspace to /dev/kmsg carry another one. */
const KERNEL_FACILITY = 0;

export interface SessionBoot {
  readonly bootId: string;
  /** Epoch ms of the boot (bootWallTime). */
  readonly bootWallMs: number;
  readonly context: MatchContext;
}

export interface SessionBatch {
  readonly lines: readonly MatchedLine[];
  /** Sequence number of the last record handled, or null when nothing new was read. */
  readonly lastSeq: number | null;
  /** Records never seen: gaps in the sequence numbers (overwritten in the ring buffer before being read). */
  readonly lost: number;
  /** EPIPE answers: the kernel moved the reader past overwritten records. */
  readonly overwritten: number;
  readonly truncated: boolean;
}

/** One open /dev/kmsg with its position: turns raw reads into matched lines of kernel-facility records. */
export class KmsgSession {
  private rest = '';
  private skipThrough: number;
  private discardNext: boolean;
  private expectedSeq: number | null;

  constructor(
    private readonly reader: KmsgReader,
    readonly boot: SessionBoot,
    start: KmsgStart,
  ) {
    this.skipThrough = start.mode === 'after' ? start.seq : -1;
    this.discardNext = start.mode === 'end';
    this.expectedSeq = start.mode === 'after' ? start.seq + 1 : null;
  }

  read(maxReads: number): SessionBatch {
    const raw = this.reader.drain(maxReads);
    const { records, rest } = splitKmsgRecords(this.rest + raw.text);
    this.rest = rest;
    const discard = this.discardNext;
    this.discardNext = false;
    const lines: MatchedLine[] = [];
    let lastSeq: number | null = null;
    let lost = 0;
    for (const text of records) {
      const record = parseKmsgRecord(text);
      if (!record || record.seq <= this.skipThrough) continue;
      if (this.expectedSeq !== null && record.seq > this.expectedSeq) lost += record.seq - this.expectedSeq;
      this.expectedSeq = record.seq + 1;
      this.skipThrough = record.seq;
      lastSeq = record.seq;
      if (discard || record.facility !== KERNEL_FACILITY) continue;
      const match = matchKernelSignature(record.message, this.boot.context);
      if (!match) continue;
      lines.push({
        match,
        seq: record.seq,
        at: kernelTimeToWall(record.tsUsec, this.boot.bootWallMs),
        line: record.message,
      });
    }
    // First run on an empty buffer: everything from now on is new.
    if (discard && lastSeq === null && raw.text === '') lastSeq = -1;
    return { lines, lastSeq, lost, overwritten: raw.overwritten, truncated: raw.truncated };
  }

  close(): void {
    this.reader.close();
  }
}

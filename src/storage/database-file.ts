import { fstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

const DELETED = ' (deleted)';
const RESCAN_MS = 10_000;

/**
 * Whether the database path still names the file the agent has open. SQLite keeps writing into an open
 * file descriptor after the file is deleted or replaced; without this check the agent would commit for
 * hours into an unlinked inode. The descriptor is found once in /proc/self/fd and compared with the path
 * (device and inode) at each check: two stat calls.
 */
export class DatabaseFile {
  private fd: number | null = null;
  private target: string | null = null;
  private lastScanAt = -Infinity;
  private readonly path: string;

  constructor(dbPath: string) {
    this.path = path.resolve(dbPath);
  }

  /** A sentence saying what happened to the file, or null while the path names the open file. */
  fault(): string | null {
    const fd = this.openDescriptor();
    if (fd === null) return null;
    let link: string;
    let open: { dev: number; ino: number };
    try {
      link = readlinkSync(`/proc/self/fd/${fd}`);
      open = fstatSync(fd);
    } catch {
      this.fd = null;
      return null;
    }
    if (link !== this.target && link !== this.target + DELETED) {
      this.fd = null; // the descriptor was closed and its number reused: look again next time
      return null;
    }
    let named: { dev: number; ino: number };
    try {
      named = statSync(this.path);
    } catch {
      return link.endsWith(DELETED)
        ? `the database file ${this.path} was deleted while the agent had it open`
        : `the database file ${this.path} is gone (moved away while the agent had it open)`;
    }
    if (named.dev !== open.dev || named.ino !== open.ino) {
      return `the database file ${this.path} was replaced by another file while the agent had it open`;
    }
    return null;
  }

  /** The descriptor SQLite holds on the main database file (not -wal or -shm), found once. */
  private openDescriptor(): number | null {
    if (this.fd !== null) return this.fd;
    // Not found (an in-memory database, no /proc): look again at most every 10 s, not at every write.
    if (Date.now() - this.lastScanAt < RESCAN_MS) return null;
    this.lastScanAt = Date.now();
    let target: string;
    try {
      target = realpathSync(this.path);
    } catch {
      target = this.path;
    }
    let entries: string[];
    try {
      entries = readdirSync('/proc/self/fd');
    } catch {
      return null;
    }
    for (const entry of entries) {
      let link: string;
      try {
        link = readlinkSync(`/proc/self/fd/${entry}`);
      } catch {
        continue;
      }
      if (link === target || link === target + DELETED) {
        this.fd = Number(entry);
        this.target = target;
        return this.fd;
      }
    }
    return null;
  }
}

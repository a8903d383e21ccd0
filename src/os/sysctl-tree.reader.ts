import { closeSync, openSync, readdirSync, readSync, statfsSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { keyFromSegments } from '../domain/sysctl/sysctl-key.js';
import type { SysctlReading } from '../domain/sysctl/sysctl-types.js';

const READ_BITS = 0o444;
/** statfs f_type of procfs. */
const PROC_SUPER_MAGIC = 0x9fa0;
/**
 * The kernel allocates (and zeroes) a buffer of the size asked for on every sysctl read, and a handler answers
 * the whole value in the first read, so one small read per file is the cheap path: 4 KiB holds every value on
 * this host (the longest is 156 bytes). A value that fills it is read again whole, up to 64 KiB. Measured on a
 * walk of the 2,766 files here: 64 KiB with a read until EOF ~45 ms CPU, one 4 KiB read ~35 ms.
 */
const FIRST_READ_BYTES = 4096;
const MAX_VALUE_BYTES = 1 << 16;

export interface SysctlTreeOptions {
  /** Top-level directories under sys/ to read (`net`, `kernel`…); all of them when omitted. */
  readonly only?: readonly string[];
}

/**
 * Walks <procRoot>/sys and reads every readable file once. Synchronous on purpose: procfs reads never block
 * on I/O, and a sync walk of ~1,300 files costs about half of `sysctl -a` where a libuv round trip per file
 * would cost several times more. Nothing is ever written; write-only files are listed but not opened.
 */
export function readSysctlTree(procRoot: string, options: SysctlTreeOptions = {}): SysctlReading[] {
  const buffers = { small: Buffer.allocUnsafe(FIRST_READ_BYTES), large: Buffer.allocUnsafe(MAX_VALUE_BYTES) };
  const readings: SysctlReading[] = [];
  const root = path.join(procRoot, 'sys');
  const top = options.only ?? readdirSync(root);
  // On procfs the kernel itself refuses to open a file without read bits (even for root), so the mode is
  // only looked up when an open fails: one syscall less per key. Elsewhere (a captured tree) root could
  // read a 0200 file, so every mode is checked first.
  const procfs = isProcfs(root);
  const origin = procfs ? workingDirectoryForRelativeOpens() : null;
  const context: WalkContext = { buffers, checkModeFirst: !procfs, relativeOpens: origin !== null };
  try {
    for (const name of top) {
      walk(path.join(root, name), [name], context, readings);
    }
  } finally {
    if (origin !== null) process.chdir(origin);
  }
  return readings;
}

/*
 * Relative opens. Every component of a path under /proc/sys makes the kernel leave its fast (RCU) path walk:
 * proc_sys_revalidate answers -ECHILD, so an absolute open of net/ipv4/conf/eth0/forwarding resolves seven
 * components the slow way, and that is most of the walk's cost. Opening `forwarding` from inside the directory
 * resolves one. Node has no openat(2), so the walk changes the working directory while it runs and restores it
 * before returning. This is safe because the walk is synchronous on the main thread (no JavaScript runs
 * meanwhile) and the agent resolves every configured path to an absolute one at start
 * (src/config/env.schema.ts), so no file operation of its own in flight on libuv's pool depends on the working
 * directory. Measured: a walk of the 2,766 files here costs ~42 ms CPU with absolute paths, ~30 ms relative.
 * Worker threads cannot change directory; there (and when the working directory is gone) paths stay absolute.
 */
function workingDirectoryForRelativeOpens(): string | null {
  if (!isMainThread) return null;
  try {
    return process.cwd();
  } catch {
    return null;
  }
}

interface WalkContext {
  readonly buffers: { readonly small: Buffer; readonly large: Buffer };
  readonly checkModeFirst: boolean;
  /** Files are opened by name from inside their directory (see workingDirectoryForRelativeOpens). */
  readonly relativeOpens: boolean;
}

function isProcfs(dir: string): boolean {
  try {
    return statfsSync(dir).type === PROC_SUPER_MAGIC;
  } catch {
    return false;
  }
}

function walk(dir: string, segments: string[], context: WalkContext, out: SysctlReading[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if (errnoOf(error) === 'ENOTDIR') {
      out.push(readFile(dir, keyFromSegments(segments), context));
      return;
    }
    if (errnoOf(error) === 'ENOENT') return; // vanished while walking (an interface went away)
    throw error;
  }
  let inDir = false;
  for (const entry of entries) {
    const childSegments = [...segments, entry.name];
    if (entry.isDirectory()) {
      walk(path.join(dir, entry.name), childSegments, context, out);
      inDir = false;
    } else if (entry.isFile()) {
      if (context.relativeOpens && !inDir) inDir = enter(dir);
      const file = inDir ? entry.name : path.join(dir, entry.name);
      out.push(readFile(file, keyFromSegments(childSegments), context));
    }
  }
}

/** chdir for relative opens; false (absolute paths then) when the directory vanished meanwhile. */
function enter(dir: string): boolean {
  try {
    process.chdir(dir);
    return true;
  } catch {
    return false;
  }
}

function readFile(file: string, key: string, context: WalkContext): SysctlReading {
  try {
    if (context.checkModeFirst && !hasReadBits(file)) return { key, access: 'write-only', value: null };
    const value = readValue(file, context.buffers);
    return { key, access: 'readable', value: value.trim() };
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EACCES' && !context.checkModeFirst && !hasReadBits(file)) {
      return { key, access: 'write-only', value: null };
    }
    return { key, access: 'unreadable', value: null, error: code };
  }
}

/** One small read; a value that fills it is read again from the start into the large buffer, up to EOF. */
function readValue(file: string, buffers: WalkContext['buffers']): string {
  const first = readFrom(file, buffers.small, false);
  if (first < buffers.small.length) return buffers.small.toString('utf8', 0, first);
  const length = readFrom(file, buffers.large, true);
  return buffers.large.toString('utf8', 0, length);
}

function readFrom(file: string, buffer: Buffer, untilEof: boolean): number {
  const fd = openSync(file, 'r');
  try {
    let length = 0;
    do {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    } while (untilEof && length < buffer.length);
    return length;
  } finally {
    closeSync(fd);
  }
}

function errnoOf(error: unknown): string {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : 'EUNKNOWN';
}

function hasReadBits(file: string): boolean {
  return (statSync(file).mode & READ_BITS) !== 0;
}

import { closeSync, openSync, readdirSync, readSync, statfsSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { isSecretKey } from '../domain/sysctl/secret-keys.js';
import { SharedStrings } from '../domain/sysctl/shared-strings.js';
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
  /**
   * What the last walk of the same tree found (the host's, walked at every snapshot): its keys and its
   * readings whose bytes are read again unchanged are handed out again instead of new ones.
   */
  readonly memo?: SysctlTreeMemo;
}

/**
 * One walk's directories, by position, for the next walk of the same tree. A 110-pod node's host has ~16,000
 * files (130 for each veth), nearly all unchanged from one snapshot to the next: reusing their key strings and
 * readings saves a new string pair and object for each, their hashing in every map that looks them up, and the
 * garbage collector's moving them (measured with V8's sampling heap profiler). An entry whose name is not the one
 * at its position last time is built afresh, as is everything below it.
 */
export class SysctlTreeMemo {
  readonly root: DirMemo = emptyDirMemo();
}

interface DirMemo {
  readonly names: string[];
  readonly keys: string[];
  /** The reading of a file entry; undefined for a directory or an entry not read. */
  readonly readings: (SysctlReading | undefined)[];
  readonly children: (DirMemo | undefined)[];
}

function emptyDirMemo(): DirMemo {
  return { names: [], keys: [], readings: [], children: [] };
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
  const memo = options.memo?.root ?? emptyDirMemo();
  try {
    top.forEach((name, position) => {
      const key = memoKey(memo, position, name, '');
      walk(path.join(root, name), key, context, readings, childMemo(memo, position));
    });
    truncate(memo, top.length);
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

/**
 * Keys are built as strings along the walk (`prefix` is the key of `dir`) and paths by concatenation; `memo` is
 * this directory's entries of the last walk, updated in place to this walk's.
 */
function walk(dir: string, prefix: string, context: WalkContext, out: SysctlReading[], memo: DirMemo): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if (errnoOf(error) === 'ENOTDIR') {
      out.push(readFile(dir, prefix, context, undefined));
      return;
    }
    if (errnoOf(error) === 'ENOENT') return; // vanished while walking (an interface went away)
    throw error;
  }
  let inDir = false;
  for (let position = 0; position < entries.length; position++) {
    const entry = entries[position];
    if (entry === undefined) continue;
    const key = memoKey(memo, position, entry.name, prefix, entry.isFile());
    if (entry.isDirectory()) {
      memo.readings[position] = undefined;
      walk(`${dir}/${entry.name}`, key, context, out, childMemo(memo, position));
      inDir = false;
    } else if (entry.isFile()) {
      memo.children[position] = undefined;
      if (context.relativeOpens && !inDir) inDir = enter(dir);
      const file = inDir ? entry.name : `${dir}/${entry.name}`;
      const reading = readFile(file, key, context, memo.readings[position]);
      // A secret's value (tcp_fastopen_key) is never kept beyond the walk: the caller keeps only its digest.
      memo.readings[position] = isSecretKey(key) ? undefined : reading;
      out.push(reading);
    }
  }
  truncate(memo, entries.length);
}

/** The key of entry `position` named `name` under `prefix`: last walk's string when the name is the same. */
function memoKey(memo: DirMemo, position: number, name: string, prefix: string, file = false): string {
  if (memo.names[position] === name) return memo.keys[position] ?? '';
  const key = prefix === '' ? keySegment(name) : `${prefix}.${keySegment(name)}`;
  memo.names[position] = file ? FILE_NAMES.of(name) : name;
  memo.keys[position] = key;
  memo.readings[position] = undefined;
  memo.children[position] = undefined;
  return key;
}

/**
 * One copy of each file name the memos keep: every interface directory has the same ~30-60 file names, and a
 * copy per directory would keep ~16,000 strings on a 110-pod node. File names are few (~1,200 here; directory
 * names such as a veth's are not shared).
 */
const FILE_NAMES = new SharedStrings(5_000);

function childMemo(memo: DirMemo, position: number): DirMemo {
  let child = memo.children[position];
  if (child === undefined) {
    child = emptyDirMemo();
    memo.children[position] = child;
  }
  return child;
}

function truncate(memo: DirMemo, length: number): void {
  memo.names.length = Math.min(memo.names.length, length);
  memo.keys.length = Math.min(memo.keys.length, length);
  memo.readings.length = Math.min(memo.readings.length, length);
  memo.children.length = Math.min(memo.children.length, length);
}

/** One path segment as it appears in a key (keyFromSegments): a dot in a name (`eth0.100`) becomes `/`. */
function keySegment(name: string): string {
  return name.includes('.') ? keyFromSegments([name]) : name;
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

/**
 * The reading of one file; `previous` (the last walk's reading of the same key) itself when the file reads the
 * same again.
 */
function readFile(
  file: string,
  key: string,
  context: WalkContext,
  previous: SysctlReading | undefined,
): SysctlReading {
  try {
    if (context.checkModeFirst && !hasReadBits(file)) return { key, access: 'write-only', value: null };
    const same = previous?.access === 'readable' ? previous.value : null;
    const value = readValue(file, context.buffers, same);
    return previous !== undefined && value === same ? previous : { key, access: 'readable', value };
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EACCES' && !context.checkModeFirst && !hasReadBits(file)) {
      return { key, access: 'write-only', value: null };
    }
    return { key, access: 'unreadable', value: null, error: code };
  }
}

/**
 * One small read; a value that fills it is read again from the start into the large buffer, up to EOF. The
 * value comes back trimmed, decoded once (`previous` itself when the bytes spell it): surrounding ASCII
 * whitespace is cut from the bytes, and String#trim runs only when a non-ASCII character is left at an end (it
 * also trims Unicode spaces).
 */
function readValue(file: string, buffers: WalkContext['buffers'], previous: string | null): string {
  const first = readFrom(file, buffers.small, false);
  if (first < buffers.small.length) return trimmedText(buffers.small, first, previous);
  const length = readFrom(file, buffers.large, true);
  return trimmedText(buffers.large, length, previous);
}

function trimmedText(buffer: Buffer, length: number, previous: string | null): string {
  let start = 0;
  let end = length;
  while (start < end && isAsciiSpace(buffer[start] ?? 0)) start++;
  while (end > start && isAsciiSpace(buffer[end - 1] ?? 0)) end--;
  if (previous !== null && spellsAscii(buffer, start, end, previous)) return previous;
  const text = buffer.toString('utf8', start, end);
  if (start === end) return text;
  return (buffer[start] ?? 0) > 0x7f || (buffer[end - 1] ?? 0) > 0x7f ? text.trim() : text;
}

/** Whether bytes [start, end) are ASCII and exactly `text` (no decoding: nothing is allocated). */
function spellsAscii(buffer: Buffer, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let i = 0; i < text.length; i++) {
    const byte = buffer[start + i] ?? 0x80;
    if (byte > 0x7f || byte !== text.charCodeAt(i)) return false;
  }
  return true;
}

/** The characters String#trim removes that are ASCII: tab, LF, VT, FF, CR, space. */
function isAsciiSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
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

import { closeSync, openSync, readdirSync, readSync, statfsSync, statSync } from 'node:fs';
import path from 'node:path';
import { keyFromSegments } from '../domain/sysctl/sysctl-key.js';
import type { SysctlReading } from '../domain/sysctl/sysctl-types.js';

const READ_BITS = 0o444;
/** statfs f_type of procfs. */
const PROC_SUPER_MAGIC = 0x9fa0;
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
  const buffer = Buffer.allocUnsafe(MAX_VALUE_BYTES);
  const readings: SysctlReading[] = [];
  const root = path.join(procRoot, 'sys');
  const top = options.only ?? readdirSync(root);
  // On procfs the kernel itself refuses to open a file without read bits (even for root), so the mode is
  // only looked up when an open fails: one syscall less per key. Elsewhere (a captured tree) root could
  // read a 0200 file, so every mode is checked first.
  const context: WalkContext = { buffer, checkModeFirst: !isProcfs(root) };
  for (const name of top) {
    walk(path.join(root, name), [name], context, readings);
  }
  return readings;
}

interface WalkContext {
  readonly buffer: Buffer;
  readonly checkModeFirst: boolean;
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
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const childSegments = [...segments, entry.name];
    if (entry.isDirectory()) walk(full, childSegments, context, out);
    else if (entry.isFile()) out.push(readFile(full, keyFromSegments(childSegments), context));
  }
}

function readFile(file: string, key: string, context: WalkContext): SysctlReading {
  const { buffer } = context;
  let fd: number;
  try {
    if (context.checkModeFirst && !hasReadBits(file)) return { key, access: 'write-only', value: null };
    fd = openSync(file, 'r');
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EACCES' && !context.checkModeFirst && !hasReadBits(file)) {
      return { key, access: 'write-only', value: null };
    }
    return { key, access: 'unreadable', value: null, error: code };
  }
  try {
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length >= buffer.length) break;
    }
    return { key, access: 'readable', value: buffer.toString('utf8', 0, length).trim() };
  } catch (error) {
    return { key, access: 'unreadable', value: null, error: errnoOf(error) };
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

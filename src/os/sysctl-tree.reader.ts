import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { keyFromSegments } from '../domain/sysctl/sysctl-key.js';
import type { SysctlReading } from '../domain/sysctl/sysctl-types.js';

const READ_BITS = 0o444;
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
  for (const name of top) {
    walk(path.join(root, name), [name], buffer, readings);
  }
  return readings;
}

function walk(dir: string, segments: string[], buffer: Buffer, out: SysctlReading[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if (errnoOf(error) === 'ENOTDIR') {
      out.push(readFile(dir, keyFromSegments(segments), buffer));
      return;
    }
    if (errnoOf(error) === 'ENOENT') return; // vanished while walking (an interface went away)
    throw error;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const childSegments = [...segments, entry.name];
    if (entry.isDirectory()) walk(full, childSegments, buffer, out);
    else if (entry.isFile()) out.push(readFile(full, keyFromSegments(childSegments), buffer));
  }
}

function readFile(file: string, key: string, buffer: Buffer): SysctlReading {
  let fd: number;
  try {
    if ((statSync(file).mode & READ_BITS) === 0) return { key, access: 'write-only', value: null };
    fd = openSync(file, 'r');
  } catch (error) {
    return { key, access: 'unreadable', value: null, error: errnoOf(error) };
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

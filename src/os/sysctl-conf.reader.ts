import { readdirSync, readFileSync, readlinkSync, lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import {
  LEGACY_SYSCTL_CONF,
  orderConfFiles,
  SYSCTL_CONF_DIRS,
} from '../domain/sysctl-conf/order-conf-files.js';
import type { ConfFileEntry } from '../domain/sysctl-conf/sysctl-conf-types.js';

/** One configuration file as systemd-sysctl would parse it: the path as the host names it, and its text. */
export interface BootConfFile {
  readonly file: string;
  readonly text: string;
}

const ABSENT = new Set(['ENOENT', 'ENOTDIR']);

function errnoOf(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Resolves a host path under `root` (`/` on the host, a mount such as `/host` in a container). */
function underRoot(root: string, hostPath: string): string {
  return path.join(root, hostPath);
}

/** A symlink to /dev/null masks its name; other symlinks are followed (an absolute target stays under root). */
function entryOf(root: string, dir: string, name: string): ConfFileEntry | null {
  const full = underRoot(root, `${dir}/${name}`);
  const stat = lstatSync(full);
  if (stat.isSymbolicLink()) {
    const target = readlinkSync(full);
    return { dir, name, masked: target === '/dev/null' };
  }
  return stat.isFile() ? { dir, name, masked: false } : null;
}

function listDir(root: string, dir: string): ConfFileEntry[] {
  let names: string[];
  try {
    names = readdirSync(underRoot(root, dir));
  } catch (error) {
    if (ABSENT.has(errnoOf(error) ?? '')) return [];
    throw error;
  }
  return names.flatMap((name) => {
    const entry = name.endsWith('.conf') ? entryOf(root, dir, name) : null;
    return entry === null ? [] : [entry];
  });
}

function readHostFile(root: string, hostPath: string): string | null {
  let full = underRoot(root, hostPath);
  try {
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) {
      const target = readlinkSync(full);
      full = path.isAbsolute(target) ? underRoot(root, target) : path.join(path.dirname(full), target);
    }
    return readFileSync(full, 'utf8');
  } catch (error) {
    if (ABSENT.has(errnoOf(error) ?? '')) return null;
    throw error;
  }
}

function sameFile(root: string, a: string, b: string): boolean {
  try {
    return realpathSync(underRoot(root, a)) === realpathSync(underRoot(root, b));
  } catch {
    return false;
  }
}

/**
 * Reads the boot configuration below `root` in systemd-sysctl's order: the winning `*.conf` file of each name
 * across the sysctl.d directories, sorted by name, then `/etc/sysctl.conf` unless one of those files is it
 * (Debian links `/etc/sysctl.d/99-sysctl.conf` to it). Only these fixed paths are read.
 */
export function readBootConfFiles(root: string): BootConfFile[] {
  const entries = SYSCTL_CONF_DIRS.flatMap((dir) => listDir(root, dir));
  const ordered = orderConfFiles(entries);
  const files: BootConfFile[] = [];
  for (const file of ordered) {
    const text = readHostFile(root, file);
    if (text !== null) files.push({ file, text });
  }
  if (!ordered.some((file) => sameFile(root, file, LEGACY_SYSCTL_CONF))) {
    const text = readHostFile(root, LEGACY_SYSCTL_CONF);
    if (text !== null) files.push({ file: LEGACY_SYSCTL_CONF, text });
  }
  return files;
}

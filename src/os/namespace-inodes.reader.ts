import { readlinkSync } from 'node:fs';
import path from 'node:path';

export interface NamespaceInodes {
  readonly net: number | null;
  readonly ipc: number | null;
  readonly uts: number | null;
}

const LINK = /^[a-z]+:\[(\d+)\]$/;

/** Inode identities of a process's net/ipc/uts namespaces (`/proc/PID/ns/net` → `net:[4026531833]`). */
export function readNamespaceInodes(procRoot: string, pid: number | 'self'): NamespaceInodes {
  const inode = (type: string): number | null => {
    try {
      const match = LINK.exec(readlinkSync(path.join(procRoot, String(pid), 'ns', type)));
      return match?.[1] ? Number(match[1]) : null;
    } catch {
      return null;
    }
  };
  return { net: inode('net'), ipc: inode('ipc'), uts: inode('uts') };
}

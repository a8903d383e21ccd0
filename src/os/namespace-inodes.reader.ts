import { readlinkSync } from 'node:fs';
import path from 'node:path';

export interface NamespaceInodes {
  readonly net: number | null;
  readonly ipc: number | null;
  readonly uts: number | null;
}

const LINK = /^[a-z]+:\[(\d+)\]$/;

/** The inode of one namespace of a process (`/proc/PID/ns/net` → `net:[4026531833]`); null when unreadable. */
function namespaceInode(procRoot: string, pid: number | 'self', type: string): number | null {
  try {
    const match = LINK.exec(readlinkSync(path.join(procRoot, String(pid), 'ns', type)));
    return match?.[1] ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Inode identities of a process's net/ipc/uts namespaces. */
export function readNamespaceInodes(procRoot: string, pid: number | 'self'): NamespaceInodes {
  const inode = (type: string): number | null => namespaceInode(procRoot, pid, type);
  return { net: inode('net'), ipc: inode('ipc'), uts: inode('uts') };
}

/**
 * The pid and user namespaces of a process (`/proc/PID/ns/{pid,user}`): they own `kernel.pid_max` (≥ 6.14),
 * `vm.memfd_noexec`, `kernel.ns_last_pid` and every `user.*` key, which a set's net/ipc/uts identity does not say.
 */
export function readKeyOwnerInodes(
  procRoot: string,
  pid: number | 'self',
): { readonly pid: number | null; readonly user: number | null } {
  return { pid: namespaceInode(procRoot, pid, 'pid'), user: namespaceInode(procRoot, pid, 'user') };
}

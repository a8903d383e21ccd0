import path from 'node:path';
import type { KeyNamespaces, NamespaceSet } from '../domain/namespaces/namespace-types.js';
import { readKeyOwnerInodes } from '../os/namespace-inodes.reader.js';

/** The inodes of the pid and user namespaces a set's pid/user keys were read in (the host's for the host). */
export interface KeyNamespaceInodes {
  readonly pid: number | null;
  readonly user: number | null;
}

/**
 * For each set with a process, the pid and user namespaces of that process that differ from the host's (PID
 * `hostPid`'s): its pid-scoped and user-scoped keys are read there. Sets without a process (a named netns nobody
 * runs in) have none. Returns the map by identity, and the host's own inodes.
 */
export function keyNamespacesOf(
  sets: readonly NamespaceSet[],
  procRoot: string,
  hostPid: number,
): { byIdentity: Map<string, KeyNamespaces>; host: KeyNamespaceInodes } {
  const host = readKeyOwnerInodes(procRoot, hostPid);
  const byIdentity = new Map<string, KeyNamespaces>();
  for (const set of sets) {
    if (set.identity === 'host' || set.pid === null) continue;
    const own = readKeyOwnerInodes(procRoot, set.pid);
    const dir = path.join(procRoot, String(set.pid), 'ns');
    byIdentity.set(set.identity, {
      ...(own.pid !== null && own.pid !== host.pid
        ? { pid: { inode: own.pid, file: path.join(dir, 'pid') } }
        : {}),
      ...(own.user !== null && own.user !== host.user
        ? { user: { inode: own.user, file: path.join(dir, 'user') } }
        : {}),
    });
  }
  return { byIdentity, host };
}

/** The host set's pid and user namespaces, recorded as where its pid/user keys come from (read in-process). */
export function hostKeyNamespaces(host: KeyNamespaceInodes): KeyNamespaces {
  return {
    ...(host.pid !== null ? { pid: { inode: host.pid, file: '' } } : {}),
    ...(host.user !== null ? { user: { inode: host.user, file: '' } } : {}),
  };
}

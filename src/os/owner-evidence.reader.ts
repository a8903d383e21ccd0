import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseMountIds, parseProcessStartTicks } from '../domain/namespaces/parse-owner-evidence.js';

/*
 * Evidence that a namespace is the one seen before, read cheaply from procfs (src/domain/namespaces/set-evidence.ts).
 * Two kernel facts would be stronger and were looked at on 6.18.44:
 * - netns cookies (getsockopt SO_NETNS_COOKIE, ≥ 5.14) are 64-bit and never reused, and this kernel has them,
 *   but Node has no getsockopt: it would take a native addon or an extra exec per netns (python's
 *   socket.getsockopt(SOL_SOCKET, 71, 8) works; perl's fixed 256-byte buffer gets EINVAL), i.e. a runtime the
 *   image does not ship and ~7 ms more per set per snapshot, for the one case procfs cannot settle (below).
 * - nsfs file handles (name_to_handle_at on /proc/PID/ns/net) answer EOPNOTSUPP on this kernel.
 * What procfs cannot settle: `ip netns delete X; ip netns add X` between two snapshots that gets both the same
 * inode and the same mount id (mount ids are reused too). Such a netns is taken for the same set.
 */

/** The kernel's boot id: with it a pid and start time never name two processes across reboots. */
export function readBootId(procRoot: string): string {
  try {
    return readFileSync(path.join(procRoot, 'sys', 'kernel', 'random', 'boot_id'), 'utf8').trim();
  } catch {
    return '?';
  }
}

/** Start time of a process in clock ticks after boot (field 22 of /proc/PID/stat); null when it has exited. */
export function readProcessStartTicks(procRoot: string, pid: number): number | null {
  try {
    return parseProcessStartTicks(readFileSync(path.join(procRoot, String(pid), 'stat'), 'utf8'));
  } catch {
    return null;
  }
}

/** Mount ids of the agent's own mounts by mount point (where it sees the named netns bind mounts). */
export function readMountIds(procRoot: string): Map<string, number> {
  try {
    return parseMountIds(readFileSync(path.join(procRoot, 'self', 'mountinfo'), 'utf8'));
  } catch {
    return new Map();
  }
}

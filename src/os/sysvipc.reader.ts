import path from 'node:path';

const FILES = ['shm', 'msg', 'sem'] as const;

/*
 * /proc/sysvipc/* lists the objects of the READER's IPC namespace (KERNEL.md §8). Another set's objects are read
 * by the `nsenter … grep` helper that reads its keys (namespace-sysctl.reader.ts, `sysvipc: true`): it has
 * entered that IPC namespace already, so they cost no exec of their own.
 */

/** The host's IPC objects: the agent's own /proc/sysvipc (it shares the host's IPC namespace). */
export function sysvipcFilesOf(procRoot: string): string[] {
  return FILES.map((name) => path.join(procRoot, 'sysvipc', name));
}

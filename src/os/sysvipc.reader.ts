import { execFile } from 'node:child_process';
import path from 'node:path';

const HELPER_ENV: Readonly<Record<string, string>> = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' };
const FILES = ['shm', 'msg', 'sem'] as const;

/**
 * /proc/sysvipc/* lists the objects of the READER's IPC namespace (KERNEL.md §8), so another set's objects need
 * one short-lived `nsenter --ipc=<ns file> -- cat shm msg sem` (IPC only: no mount namespace, the agent's own
 * procfs and cat). One exec per IPC namespace and snapshot, ~25 ms wall on this VM (the fork+setns+exec floor
 * measured in namespace-sysctl.reader.ts). Returns the concatenated files (parse-sysvipc.ts splits them).
 */
export function readSysvipcInNamespace(
  procRoot: string,
  ipcFile: string,
  timeoutMs: number,
): Promise<string> {
  if (!path.isAbsolute(ipcFile) || ipcFile.includes('\0')) {
    return Promise.reject(
      new Error(`sysvipc read: not an absolute namespace path: ${JSON.stringify(ipcFile)}`),
    );
  }
  const files = FILES.map((name) => path.join(procRoot, 'sysvipc', name));
  return new Promise((resolve, reject) => {
    execFile(
      'nsenter',
      [`--ipc=${path.normalize(ipcFile)}`, '--', 'cat', ...files],
      { env: HELPER_ENV, timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`nsenter --ipc=${ipcFile} cat sysvipc: ${stderr.trim() || error.message}`));
        else resolve(stdout);
      },
    );
  });
}

/** The host's IPC objects: the agent's own /proc/sysvipc (it shares the host's IPC namespace). */
export function sysvipcFilesOf(procRoot: string): string[] {
  return FILES.map((name) => path.join(procRoot, 'sysvipc', name));
}

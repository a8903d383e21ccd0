import { execFile } from 'node:child_process';
import path from 'node:path';
import { parseRecords } from '../domain/sysctl/parse-sysctl-dump.js';

const HELPER_ENV: Readonly<Record<string, string>> = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' };
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/**
 * The /proc/net files of a network namespace no process runs in (a named netns whose processes exited), read
 * inside it: `nsenter --net=<ns file> -- grep -aHZz '' <procRoot>/self/net/<file>…`. /proc/self/net shows the
 * netns of the reading task, which nsenter made the target's; nothing else is entered (the agent's procfs and
 * grep). One exec per netns and snapshot, the cost of the namespace sysctl dump's floor (~10-20 ms here).
 * Returns each file's content by its name relative to net/ (`tcp`, `stat/nf_conntrack`); absent files are left
 * out. Rejects when the namespace cannot be entered (it was deleted) or the helper fails otherwise.
 */
export function readNetFilesInNetns(
  procRoot: string,
  netnsFile: string,
  names: readonly string[],
  timeoutMs: number,
): Promise<Map<string, string>> {
  if (!path.isAbsolute(netnsFile) || netnsFile.includes('\0')) {
    return Promise.reject(
      new Error(`netns files: not an absolute namespace path: ${JSON.stringify(netnsFile)}`),
    );
  }
  const netDir = path.join(procRoot, 'self', 'net');
  const files = names.map((name) => path.join(netDir, name));
  return new Promise((resolve, reject) => {
    execFile(
      'nsenter',
      [`--net=${path.normalize(netnsFile)}`, '--', 'grep', '-aHZz', '', '--', ...files],
      { env: HELPER_ENV, timeout: timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const entered = !/^nsenter: /m.test(stderr);
        // grep exits 2 when some file is absent (a kernel without conntrack): the others still count.
        if (error && (!entered || error.killed || typeof error.code !== 'number' || stdout === '')) {
          reject(
            new Error(`nsenter --net=${netnsFile} read of /proc/net: ${stderr.trim() || error.message}`),
          );
          return;
        }
        try {
          const byName = new Map<string, string>();
          for (const [file, content] of parseRecords(stdout))
            byName.set(path.relative(netDir, file), content);
          resolve(byName);
        } catch (parseError) {
          reject(parseError as Error);
        }
      },
    );
  });
}

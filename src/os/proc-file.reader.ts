import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Errors that mean "this file is not there (any more)": a vanished process, a kernel without the feature. */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ESRCH']);

/**
 * Reads a procfs file; null when it does not exist. Other failures (EACCES…) throw, to be recorded.
 * Synchronous underneath: a procfs read never waits for I/O and costs microseconds, where a trip through
 * libuv's pool costs two thread wake-ups, which on a busy host each wait for a CPU.
 */
export async function readOptionalFile(file: string): Promise<string | null> {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (typeof code === 'string' && ABSENT.has(code)) return null;
    throw error;
  }
}

/** `<procRoot>/<pid>/net/<name…>`: a file bound to the netns of `pid`, readable from the host without entering. */
export function netFileOf(procRoot: string, pid: number, ...name: string[]): string {
  return path.join(procRoot, String(pid), 'net', ...name);
}

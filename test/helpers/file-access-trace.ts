import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** Whether `strace` is on PATH (Debian package `strace`). */
export function straceAvailable(): boolean {
  return spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
}

export interface FileAccessTrace {
  /** Every line strace wrote so far: one file-related syscall (openat, stat, access, readlink, …) each. */
  lines(): string[];
  /** Lines naming `needle` anywhere in their arguments. */
  linesMentioning(needle: string): string[];
  /** Detaches strace from the agent (the agent keeps running). */
  stop(): Promise<void>;
}

/**
 * Attaches `strace -f -e trace=%file` to a running process and all its threads (the libuv pool, where async
 * fs calls run) and children, writing to `outFile`. Resolves once strace reports it is attached.
 */
export async function traceFileAccess(
  pid: number,
  outFile: string,
  timeoutMs = 10_000,
): Promise<FileAccessTrace> {
  const child: ChildProcess = spawn(
    'strace',
    ['-f', '-s', '4096', '-e', 'trace=%file', '-e', 'signal=none', '-o', outFile, '-p', String(pid)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`strace did not attach in ${timeoutMs} ms: ${stderr}`)),
      timeoutMs,
    );
    const check = (): void => {
      if (/attached/i.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`strace exited with ${code} before attaching: ${stderr}`));
    });
  });
  const lines = (): string[] =>
    existsSync(outFile) ? readFileSync(outFile, 'utf8').split('\n').filter(Boolean) : [];
  return {
    lines,
    linesMentioning: (needle) => lines().filter((line) => line.includes(needle)),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}

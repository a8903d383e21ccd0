import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RunningAgent {
  readonly baseUrl: string;
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Graceful stop (SIGTERM), waiting for exit. */
  stop(): Promise<void>;
  /** kill -9, waiting for exit. */
  kill9(): Promise<void>;
}

/** The compiled agent next to this compiled helper (dist-test/src/main.js, or any other out dir). */
const MAIN = path.resolve(import.meta.dirname, '..', '..', 'src', 'main.js');

/** Starts the real agent (compiled main.js) as a child process on a free loopback port. */
export async function startAgent(
  env: Record<string, string>,
  timeoutMs = 20_000,
  args: readonly string[] = [],
): Promise<RunningAgent> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`agent did not start in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (): void => {
      const match = /listening on (http:\/\/[\d.]+:\d+)\/api\/v1/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`agent exited with ${code} before listening:\n${output}`));
    });
  });
  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return {
    baseUrl,
    child,
    output: () => output,
    stop: () => signal('SIGTERM'),
    kill9: () => signal('SIGKILL'),
  };
}

/** A fresh temporary folder holding a database path; remove it with the returned cleanup. */
export function tempDatabase(label: string): { dbPath: string; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `kl-${label}-`));
  return {
    dir,
    dbPath: path.join(dir, 'ledger.sqlite'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs the agent expecting it to refuse to start; returns its exit code and output. */
export async function runAgentExpectingExit(
  env: Record<string, string>,
  args: readonly string[] = [],
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output };
}

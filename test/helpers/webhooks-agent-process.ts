import { spawn } from 'node:child_process';
import path from 'node:path';
import type { RunningAgent } from './agent-process.js';

/** Compiled next to this helper. */
const MAIN = path.join(import.meta.dirname, 'webhooks-agent-main.js');

/** Like startAgent, but runs webhooks-agent-main.js (AppModule + WebhooksModule) as the child process. */
export async function startWebhooksAgentProcess(
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<RunningAgent> {
  const child = spawn(process.execPath, [MAIN], {
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
    child.stdout?.on('data', () => {
      const match = /listening on (http:\/\/[\d.]+:\d+)\/api\/v1/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
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

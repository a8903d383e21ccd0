import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { onCleanup } from './cleanup.js';

/** The repository root (this file runs from dist/bench/). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface Started {
  readonly pid: number;
  readonly baseUrl: string;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. */
  stop(): Promise<void>;
  /** Last lines of its output, for error messages. */
  output(): string;
  /** How it ended (`exit 1`, `SIGKILL`), or null while it runs. */
  ended(): string | null;
}

/** A free loopback port (bound and released; a race is possible but harmless for a benchmark). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function track(child: ChildProcess, label: string, baseUrl: string): Started {
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${label} did not start`);
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const release = onCleanup(`${label} pid ${pid}`, () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
  });
  return {
    pid,
    baseUrl,
    output: () => tail,
    ended: () =>
      child.signalCode !== null
        ? child.signalCode
        : child.exitCode !== null
          ? `exit ${child.exitCode}`
          : null,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      release();
    },
  };
}

/** Polls `url` until it answers 2xx, or fails after `timeoutMs`, or at once when `started` has ended. */
export async function waitForHttp(url: string, timeoutMs: number, started?: Started): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const ended = started?.ended() ?? null;
    if (ended !== null)
      throw new Error(`${url}: the process ended (${ended}) before answering\n${started?.output() ?? ''}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(100);
  }
  throw new Error(
    `${url} not ready after ${timeoutMs} ms (${last})${started ? `\n${started.output()}` : ''}`,
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Variables of the image that the benchmark sets itself (address, port, database). */
const BENCH_OWNED_VARIABLES = new Set(['HOST', 'PORT', 'DB_PATH']);

/**
 * How the image runs the agent, read from the Dockerfile so the benchmark cannot drift from it: node's own
 * arguments (heap sizing) from the exec-form `CMD ["node", …, "/app/dist/src/main.js"]`, and the final stage's
 * `ENV` variables (glibc malloc tuning, NODE_ENV) except those the benchmark sets itself.
 */
export function deployedRuntime(dockerfile = path.join(REPO_ROOT, 'Dockerfile')): {
  nodeArgs: string[];
  env: Record<string, string>;
} {
  const text = readFileSync(dockerfile, 'utf8').replace(/\\\n/g, ' ');
  const finalStage = text.slice(text.lastIndexOf('\nFROM '));
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(finalStage)?.[1];
  const argv = cmd ? (JSON.parse(cmd) as unknown) : null;
  if (!Array.isArray(argv) || argv[0] !== 'node' || argv.some((a) => typeof a !== 'string')) {
    throw new Error(`${dockerfile}: no exec-form CMD ["node", …] in the final stage`);
  }
  const env: Record<string, string> = {};
  for (const [, body] of finalStage.matchAll(/^ENV\s+(.*)$/gm)) {
    for (const [, name, quoted, bare] of (body ?? '').matchAll(
      /([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"]*)"|(\S*))/g,
    )) {
      if (name && !BENCH_OWNED_VARIABLES.has(name)) env[name] = quoted ?? bare ?? '';
    }
  }
  return { nodeArgs: (argv as string[]).slice(1, -1), env };
}

/**
 * The agent as the image runs it (`node <the Dockerfile's node arguments> dist/src/main.js`, with the image's
 * runtime variables), on loopback, with the given environment; `root` is the built tree it runs from (another
 * revision's, for a side-by-side run).
 */
export async function startAgent(env: Record<string, string>, root = REPO_ROOT): Promise<Started> {
  const port = await freePort();
  const deployed = deployedRuntime();
  // For experiments only: replaces the Dockerfile's node arguments (e.g. --max-semi-space-size=4).
  const experiment = process.env['BENCH_AGENT_NODE_ARGS'];
  const nodeArgs = experiment === undefined ? deployed.nodeArgs : experiment.split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'dist', 'src', 'main.js')], {
    cwd: root,
    env: {
      PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      ...deployed.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000',
      // For experiments only (e.g. --heapsnapshot-signal=SIGUSR2); unset in the reference run.
      ...(process.env['BENCH_AGENT_NODE_OPTIONS']
        ? { NODE_OPTIONS: process.env['BENCH_AGENT_NODE_OPTIONS'] }
        : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = track(child, 'agent', `http://127.0.0.1:${port}`);
  try {
    await waitForHttp(`${started.baseUrl}/api/v1/health`, 60_000, started);
  } catch (error) {
    await started.stop();
    throw error;
  }
  return started;
}

export const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';

/** Sysctls node_exporter exports: the limits the agent pairs with usage (same ground as our /metrics). */
const NODE_EXPORTER_SYSCTLS = [
  'fs.file-max',
  'fs.aio-max-nr',
  'kernel.pid_max',
  'kernel.threads-max',
  'kernel.pty.max',
  'kernel.shmmni',
  'kernel.msgmni',
  'net.core.somaxconn',
  'net.netfilter.nf_conntrack_max',
  'net.ipv4.neigh.default.gc_thresh3',
];

/** Prometheus node_exporter on loopback with only its conntrack, filefd and sysctl collectors. */
export async function startNodeExporter(): Promise<Started> {
  const port = await freePort();
  const child = spawn(
    NODE_EXPORTER,
    [
      `--web.listen-address=127.0.0.1:${port}`,
      '--collector.disable-defaults',
      '--collector.conntrack',
      '--collector.filefd',
      '--collector.sysctl',
      ...NODE_EXPORTER_SYSCTLS.map((key) => `--collector.sysctl.include=${key}`),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const started = track(child, 'node_exporter', `http://127.0.0.1:${port}`);
  try {
    await waitForHttp(`${started.baseUrl}/metrics`, 15_000, started);
  } catch (error) {
    await started.stop();
    throw error;
  }
  return started;
}

/** Resident set size in bytes (VmRSS of /proc/PID/status). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** Peak resident set size in bytes (VmHWM). */
export function peakRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  return match?.[1] ? Number(match[1]) * 1024 : Number.NaN;
}

export async function httpJson<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

import { execFile } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './processes.js';

export interface LoadOptions {
  /** Concurrent connections (closed loop: each waits for its answer before the next request). */
  readonly connections: number;
  readonly durationSeconds: number;
}

export interface LoadResult {
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly rps: number;
  readonly errors: number;
  readonly non2xx: number;
}

interface AutocannonJson {
  latency: { p50: number; p99: number };
  requests: { average: number; total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

/**
 * A bounded load with autocannon (its CLI, in its own process so the load generator does not share our event loop):
 * `connections` connections for `durationSeconds`, latency percentiles in ms.
 */
export function load(url: string, options: LoadOptions): Promise<LoadResult> {
  const cli = path.join(REPO_ROOT, 'node_modules', 'autocannon', 'autocannon.js');
  const args = [
    cli,
    '-j',
    '-n',
    '-c',
    String(options.connections),
    '-d',
    String(options.durationSeconds),
    url,
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`autocannon ${url}: ${error.message}\n${stderr}`));
        return;
      }
      try {
        const result = JSON.parse(stdout) as AutocannonJson;
        resolve({
          p50: result.latency.p50,
          p99: result.latency.p99,
          requests: result.requests.total,
          rps: result.requests.average,
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
        });
      } catch (parseError) {
        reject(
          new Error(`autocannon ${url}: unreadable output: ${String(parseError)}\n${stdout.slice(0, 500)}`),
        );
      }
    });
  });
}

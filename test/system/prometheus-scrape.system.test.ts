import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { tempDatabase } from '../helpers/agent-process.js';
import { waitFor } from '../helpers/http-json.js';
import { type MetricsAgent, startMetricsAgent } from '../helpers/metrics-agent.js';
import { REQUIRED } from '../helpers/privileges.js';

const PROMETHEUS = '/usr/bin/prometheus';

interface Targets {
  data: { activeTargets: { health: string; lastError: string; scrapeUrl: string }[] };
}
interface Query {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function getJson<T>(url: string): Promise<T | undefined> {
  try {
    const response = await fetch(url);
    return response.ok ? ((await response.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

test(
  'a real Prometheus server scrapes /metrics: target up, our series queryable',
  { timeout: 60_000 },
  async (t) => {
    if (!existsSync(PROMETHEUS)) {
      const reason = `${PROMETHEUS} is missing (Debian package prometheus)`;
      if (REQUIRED) throw new Error(`REQUIRE_DOCKER=1 but ${reason}`);
      process.stdout.write(`# skipped: ${reason}\n`);
      t.skip(reason);
      return;
    }
    const db = tempDatabase('prometheus-scrape');
    const dir = mkdtempSync(path.join(tmpdir(), 'kl-prometheus-'));
    let agent: MetricsAgent | undefined;
    let prometheus: ChildProcess | undefined;
    let log = '';
    try {
      agent = await startMetricsAgent({ DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600', PROC_ROOT: '/proc' });
      const target = new URL(agent.baseUrl).host;
      const config = path.join(dir, 'prometheus.yml');
      writeFileSync(
        config,
        [
          'global:',
          '  scrape_interval: 1s',
          '  scrape_timeout: 1s',
          'scrape_configs:',
          '  - job_name: kernel-ledger',
          '    metrics_path: /metrics',
          '    static_configs:',
          `      - targets: ['${target}']`,
          '',
        ].join('\n'),
      );
      const port = await freePort();
      const api = `http://127.0.0.1:${port}/api/v1`;
      prometheus = spawn(
        PROMETHEUS,
        [
          `--config.file=${config}`,
          `--storage.tsdb.path=${path.join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const child = prometheus;
      child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
      const alive = (): void => {
        if (child.exitCode !== null)
          throw new Error(`prometheus exited ${child.exitCode}: ${log.slice(-2000)}`);
      };

      const up = await waitFor(
        async () => {
          alive();
          const targets = await getJson<Targets>(`${api}/targets`);
          return targets?.data.activeTargets.find((a) => a.health === 'up');
        },
        30_000,
        'the kernel-ledger target to be up',
      );
      assert.equal(up.scrapeUrl, `${agent.baseUrl}/metrics`);

      await waitFor(
        async () => (agent && agent.metrics.snapshotsRecorded > 0 ? true : undefined),
        30_000,
        'a snapshot',
      );
      const query = (promql: string) => getJson<Query>(`${api}/query?query=${encodeURIComponent(promql)}`);
      const keysRead = await waitFor(
        async () => {
          alive();
          return (await query('kernel_ledger_keys_read'))?.data.result[0];
        },
        20_000,
        'kernel_ledger_keys_read in Prometheus',
      );
      assert.ok(Number(keysRead.value[1]) > 500, `keys read ${keysRead.value[1]}`);
      const files = (
        await query('kernel_ledger_usage{metric="files.allocated",namespace="host",owner="host"}')
      )?.data.result;
      assert.equal(files?.length, 1);
      assert.ok(Number(files?.[0]?.value[1]) > 0);
      const ratio = (await query('kernel_ledger_usage_ratio{metric="files.allocated",owner="host"}'))?.data
        .result;
      assert.ok(Number(ratio?.[0]?.value[1]) > 0 && Number(ratio?.[0]?.value[1]) < 1);
      const rss = (await query('kernel_ledger_process_resident_memory_bytes'))?.data.result;
      assert.ok(Number(rss?.[0]?.value[1]) > 0);
    } catch (error) {
      if (log) process.stdout.write(`# prometheus log:\n${log.replace(/^/gm, '# ')}\n`);
      throw error;
    } finally {
      if (prometheus) await stop(prometheus);
      await agent?.close();
      rmSync(dir, { recursive: true, force: true });
      db.cleanup();
    }
  },
);

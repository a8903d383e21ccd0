import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DataSource } from 'typeorm';
import { LatestStateLoader } from '../../src/metrics/latest-state.loader.js';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { LatestStateReader } from '../../src/storage/latest-state.reader.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { FakeProcRoot, isolatedEnv } from '../helpers/fake-proc-root.js';
import { httpJson, waitFor } from '../helpers/http-json.js';
import { type MetricsAgent, startMetricsAgent } from '../helpers/metrics-agent.js';
import { parseSamples, sampleValue } from '../helpers/prometheus-text.js';

const HOST_FILES = { metric: 'files.allocated', namespace: 'host', owner: 'host' };

async function untilFirstSnapshot(agent: MetricsAgent): Promise<void> {
  await waitFor(
    async () => (agent.metrics.snapshotsRecorded > 0 ? true : undefined),
    30_000,
    'the startup snapshot to reach the metrics',
  );
}

describe('GET /metrics on a known procfs: exact values follow each snapshot', () => {
  const db = tempDatabase('metrics-fake');
  const proc = new FakeProcRoot({
    'kernel.ostype': 'Linux',
    'fs.file-nr': '1234\t0\t9223372036854775807',
    'fs.file-max': '10000',
  });
  let agent: MetricsAgent;

  before(async () => {
    agent = await startMetricsAgent(isolatedEnv(proc.dir, db.dbPath));
    await untilFirstSnapshot(agent);
  });

  after(async () => {
    await agent?.close();
    db.cleanup();
    proc.cleanup();
  });

  test('served at the root in the Prometheus text format, every series prefixed kernel_ledger_', async () => {
    const scrape = await agent.scrape();
    assert.equal(scrape.status, 200);
    assert.match(scrape.contentType, /^text\/plain; version=0\.0\.4/);
    const samples = parseSamples(scrape.text);
    assert.deepEqual(
      [...new Set(samples.map((s) => s.name).filter((name) => !name.startsWith('kernel_ledger_')))],
      [],
    );
    const prefixed = await fetch(`${agent.baseUrl}/api/v1/metrics`);
    assert.equal(prefixed.status, 404);
    await prefixed.arrayBuffer();
  });

  test('the HTTP server answers GET and HEAD /metrics itself; other forms reach the controller', async () => {
    const scrape = await fetch(`${agent.baseUrl}/metrics?name[]=ignored`);
    const text = await scrape.text();
    assert.equal(scrape.status, 200);
    assert.equal(scrape.headers.get('content-length'), String(Buffer.byteLength(text)));
    assert.equal(scrape.headers.get('cache-control'), 'no-store');
    assert.equal(scrape.headers.get('x-content-type-options'), 'nosniff');
    const head = await fetch(`${agent.baseUrl}/metrics`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(Buffer.byteLength(text)));
    assert.equal(await head.text(), '');
    // Express answers the forms its router also accepts (trailing slash, any case) through MetricsController.
    const slash = await fetch(`${agent.baseUrl}/metrics/`);
    assert.equal(slash.status, 200);
    assert.match(slash.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.deepEqual(
      parseSamples(await slash.text()).filter((s) => s.name === 'kernel_ledger_keys_read'),
      parseSamples(text).filter((s) => s.name === 'kernel_ledger_keys_read'),
    );
    const post = await fetch(`${agent.baseUrl}/metrics`, { method: 'POST' });
    assert.equal(post.status, 404);
    assert.equal(((await post.json()) as { statusCode: number }).statusCode, 404);
  });

  test("a snapshot taken over the API shows the host's files.allocated usage, limit and ratio", async () => {
    const taken = await httpJson<{ keysRead: number }>(agent.baseUrl, '/api/v1/snapshots', {
      method: 'POST',
    });
    assert.equal(taken.status, 201);
    const s = parseSamples((await agent.scrape()).text);
    assert.equal(sampleValue(s, 'kernel_ledger_usage', HOST_FILES), 1234);
    assert.equal(sampleValue(s, 'kernel_ledger_limit', HOST_FILES), 10_000);
    assert.equal(sampleValue(s, 'kernel_ledger_usage_ratio', HOST_FILES), 0.1234);
    assert.equal(sampleValue(s, 'kernel_ledger_keys_read'), taken.body.keysRead);
    assert.equal(sampleValue(s, 'kernel_ledger_namespace_sets', { kind: 'host' }), 1);
    assert.equal(sampleValue(s, 'kernel_ledger_snapshot_duration_seconds_count'), 2, 'startup + this one');
    assert.ok(
      (sampleValue(s, 'kernel_ledger_changes_total') ?? 0) >= 2,
      'the first snapshot recorded its keys',
    );
    assert.equal(sampleValue(s, 'kernel_ledger_skipped_ticks_total'), 0);
  });

  test('the gauges follow the next snapshot, not the database', async () => {
    proc.set({ 'fs.file-nr': '4321\t0\t9223372036854775807' });
    const before = parseSamples((await agent.scrape()).text);
    assert.equal(sampleValue(before, 'kernel_ledger_usage', HOST_FILES), 1234, 'no snapshot, no change');
    const taken = await httpJson(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
    assert.equal(taken.status, 201);
    const s = parseSamples((await agent.scrape()).text);
    assert.equal(sampleValue(s, 'kernel_ledger_usage', HOST_FILES), 4321);
  });

  test('postmortem mode: the loader restores the same gauges from the database alone', async () => {
    const live = parseSamples((await agent.scrape()).text);
    const restored = new MetricsService();
    await new LatestStateLoader(
      new LatestStateReader(agent.app.get(DataSource)),
      restored,
    ).fillFromDatabase();
    const s = parseSamples(await restored.render());
    for (const name of ['kernel_ledger_usage', 'kernel_ledger_limit', 'kernel_ledger_usage_ratio']) {
      assert.equal(sampleValue(s, name, HOST_FILES), sampleValue(live, name, HOST_FILES), name);
    }
    assert.equal(sampleValue(s, 'kernel_ledger_keys_read'), sampleValue(live, 'kernel_ledger_keys_read'));
    assert.equal(sampleValue(s, 'kernel_ledger_namespace_sets', { kind: 'host' }), 1);
    assert.equal(sampleValue(s, 'kernel_ledger_changes_total'), 0);
  });
});

describe('GET /metrics on the real /proc', () => {
  const db = tempDatabase('metrics-real');
  let agent: MetricsAgent;

  before(async () => {
    agent = await startMetricsAgent({ DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600', PROC_ROOT: '/proc' });
    await untilFirstSnapshot(agent);
  });

  after(async () => {
    await agent?.close();
    db.cleanup();
  });

  test("shows the host's files.allocated usage against fs.file-max, and a bounded scrape latency", async () => {
    const s = parseSamples((await agent.scrape()).text);
    const usage = sampleValue(s, 'kernel_ledger_usage', HOST_FILES);
    const limit = sampleValue(s, 'kernel_ledger_limit', HOST_FILES);
    assert.ok(usage !== undefined && usage > 0, `files.allocated usage ${usage}`);
    assert.ok(limit !== undefined && limit >= usage, `fs.file-max ${limit}`);
    assert.ok((sampleValue(s, 'kernel_ledger_keys_read') ?? 0) > 500);
    assert.ok((sampleValue(s, 'kernel_ledger_process_resident_memory_bytes') ?? 0) > 0);
    const started = performance.now();
    await Promise.all(Array.from({ length: 50 }, () => agent.scrape()));
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 5_000, `50 concurrent scrapes took ${elapsed.toFixed(0)} ms`);
  });
});

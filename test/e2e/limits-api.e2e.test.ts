import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LimitsResult, UsageResult } from '../../src/api/limits/limit.views.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { httpJson, waitForStartupSnapshot } from '../helpers/http-json.js';
import { type Agent, startAgent } from '../helpers/start-agent.js';

interface ErrorBody {
  statusCode: number;
  message: string;
}

/** /limits and /usage over real HTTP on this host's /proc (no root needed), then on a synthetic series. */
describe('GET /limits and /usage', () => {
  const db = tempDatabase('limits-api');
  let agent: Agent;

  before(async () => {
    agent = await startAgent({ env: { DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' } });
    await waitForStartupSnapshot(agent.baseUrl);
  });

  after(async () => {
    await agent?.close();
    db.cleanup();
  });

  test('/limits lists every pair of the host, highest ratio first, counters last', async () => {
    const res = await httpJson<LimitsResult>(agent.baseUrl, '/api/v1/limits');
    assert.equal(res.status, 200);
    const metrics = res.body.items.map((i) => i.metric);
    for (const m of [
      'tasks.threads',
      'tasks.processes',
      'files.allocated',
      'tcp.memory_pages',
      'ports.in_use',
    ])
      assert.ok(metrics.includes(m), `${m} in ${metrics.join(', ')}`);
    const ratios = res.body.items.map((i) => i.ratio ?? -1);
    assert.deepEqual(
      ratios,
      [...ratios].sort((a, b) => b - a),
    );
    const threads = res.body.items.find((i) => i.metric === 'tasks.threads');
    assert.equal(threads?.limitKey, 'kernel.threads-max');
    assert.equal(threads?.namespace, 'host');
    assert.ok(threads && threads.usage > 0 && threads.top.length >= 1);
    const counter = res.body.items.find((i) => i.metric === 'tcp.listen_overflows.total');
    assert.equal(counter?.kind, 'counter');
    assert.equal(counter?.ratio, null);
    const focused = await httpJson<LimitsResult>(agent.baseUrl, '/api/v1/limits?namespace=host');
    assert.equal(focused.body.namespace, 'host');
    assert.ok(focused.body.items.every((i) => i.namespace === 'host'));
    const before = await httpJson<LimitsResult>(agent.baseUrl, '/api/v1/limits?at=2000-01-01T00:00:00Z');
    assert.deepEqual([before.status, before.body.count, before.body.snapshotAt], [200, 0, null]);
  });

  const BAD: readonly [path: string, status: number, pattern: RegExp][] = [
    ['/api/v1/limits?at=yesterday-ish', 400, /^at: /],
    ['/api/v1/limits?namespace=no-such-thing', 404, /no-such-thing/],
    ['/api/v1/limits?bogus=1', 400, /bogus/],
    ['/api/v1/usage', 400, /^metric: required; one of .*tasks\.threads/],
    ['/api/v1/usage?metric=nope', 400, /^metric: unknown metric 'nope'; known: .*ports\.in_use/],
    ['/api/v1/usage?metric=tasks.threads&points=1', 400, /^points: /],
    ['/api/v1/usage?metric=tasks.threads&points=abc', 400, /^points: /],
    ['/api/v1/usage?metric=tasks.threads&from=-1h&to=-2h', 400, /^from: /],
    ['/api/v1/usage?metric=tasks.threads&to=never', 400, /^to: /],
    ['/api/v1/usage?metric=tasks.threads&namespace=no-such-thing', 404, /no-such-thing/],
  ];
  for (const [path, status, pattern] of BAD) {
    test(`${path} → ${status}`, async () => {
      const res = await httpJson<ErrorBody>(agent.baseUrl, path);
      assert.equal(res.status, status, JSON.stringify(res.body));
      const message = Array.isArray(res.body.message) ? res.body.message.join('; ') : res.body.message;
      assert.match(message, pattern);
    });
  }

  test('/usage returns steps, then folds a long counter series into buckets with per-second rates', async () => {
    const levels = await httpJson<UsageResult>(agent.baseUrl, '/api/v1/usage?metric=tasks.threads');
    assert.equal(levels.status, 200);
    assert.equal(levels.body.series, 'step');
    assert.equal(levels.body.downsampled, null);
    assert.ok(levels.body.points.length >= 1 && (levels.body.points[0]?.ratio ?? 0) > 0);

    // 1000 synthetic samples of a counter, one a minute, +6 per minute (0.1/s), on the host set.
    const [{ id: snapshotId, taken_at: t0 }] = (await agent.dataSource.query(
      `SELECT "id", "taken_at" FROM "snapshots" ORDER BY "id" LIMIT 1`,
    )) as { id: number; taken_at: number }[] as [{ id: number; taken_at: number }];
    const [{ id: hostId }] = (await agent.dataSource.query(
      `SELECT "id" FROM "namespaces" WHERE "identity" = 'host'`,
    )) as [{ id: number }];
    const start = t0 - 2_000 * 60_000;
    for (let i = 0; i < 1000; i += 100) {
      const rows = Array.from({ length: 100 }, (_, j) => i + j);
      await agent.dataSource.query(
        `INSERT INTO "usage_samples" ("snapshot_id", "namespace_id", "metric", "taken_at", "usage", "limit_value")
         VALUES ${rows.map(() => `(?, ?, 'synthetic.drops.total', ?, ?, 128)`).join(', ')}`,
        rows.flatMap((k) => [snapshotId, hostId, start + k * 60_000, k * 6]),
      );
    }
    const from = new Date(start).toISOString();
    const to = new Date(start + 999 * 60_000).toISOString();
    const res = await httpJson<UsageResult>(
      agent.baseUrl,
      `/api/v1/usage?metric=synthetic.drops.total&from=${from}&to=${to}&points=50`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.kind, 'counter');
    assert.ok(res.body.downsampled && res.body.points.length <= 50, JSON.stringify(res.body.downsampled));
    assert.match(res.body.downsampled.rule, /max rate/);
    assert.ok(res.body.points.slice(1).every((p) => Math.abs((p.ratePerSecond ?? 0) - 0.1) < 1e-9));
    assert.equal(res.body.points.at(-1)?.usage, 999 * 6);

    const at = await httpJson<LimitsResult>(agent.baseUrl, `/api/v1/limits?at=${new Date(t0).toISOString()}`);
    const synthetic = at.body.items.find((i) => i.metric === 'synthetic.drops.total');
    assert.equal(synthetic?.usage, 999 * 6, 'the last sample at or before `at`');
    assert.equal(synthetic?.limitKey, null);
  });
});

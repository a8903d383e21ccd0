import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { type RunningAgent, startAgent, tempDatabase } from '../helpers/agent-process.js';
import { httpJson, waitFor } from '../helpers/http-json.js';
import { needsRoot } from '../helpers/privileges.js';

interface Snapshot {
  id: number;
  takenAt: string;
  changeCount: number;
  keysRead: number;
  changes: { key: string; kind: string; old: string | null; new: string | null }[];
}

const FIN_TIMEOUT = '/proc/sys/net/ipv4/tcp_fin_timeout';

describe('host history over real HTTP, real /proc, real migrations', () => {
  const db = tempDatabase('host-history');
  let agent: RunningAgent;

  before(async () => {
    agent = await startAgent({ DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600', PROC_ROOT: '/proc' });
    await waitFor(
      async () => {
        const health = await httpJson<{ lastSnapshot: unknown }>(agent.baseUrl, '/api/v1/health');
        return health.body.lastSnapshot ?? undefined;
      },
      20_000,
      'the startup snapshot',
    );
  });

  after(async () => {
    await agent?.stop();
    db.cleanup();
  });

  const valueRows = (): number => {
    const file = new Database(db.dbPath, { readonly: true });
    try {
      return (file.prepare('SELECT count(*) AS n FROM setting_values').get() as { n: number }).n;
    } finally {
      file.close();
    }
  };

  test('the first snapshot catalogues every key and writes one value interval per readable setting', async () => {
    const list = await httpJson<{ items: Snapshot[] }>(agent.baseUrl, '/api/v1/snapshots');
    assert.equal(list.status, 200);
    const first = list.body.items.at(-1);
    assert.ok(first && first.keysRead > 500, 'startup snapshot read the kernel');
    assert.ok(first.changeCount > 400, `first snapshot wrote ${first?.changeCount} values`);
    const settings = await httpJson<{
      count: number;
      items: { key: string; scope: string; value: string }[];
    }>(agent.baseUrl, '/api/v1/settings?prefix=net.netfilter.nf_conntrack_max');
    assert.equal(settings.status, 200);
    const max = settings.body.items.find((i) => i.key === 'net.netfilter.nf_conntrack_max');
    assert.equal(max?.scope, 'global');
    assert.match(max?.value ?? '', /^\d+$/);
  });

  test('an idle snapshot writes no value rows', async () => {
    const rowsBefore = valueRows();
    const idle = await httpJson<Snapshot>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
    assert.equal(idle.status, 201);
    assert.deepEqual(
      idle.body.changes,
      [],
      `unexpected changes: ${JSON.stringify(idle.body.changes.slice(0, 5))}`,
    );
    assert.equal(idle.body.changeCount, 0);
    assert.equal(valueRows(), rowsBefore);
  });

  test('a real change of a host sysctl shows in the snapshot, /diff and the key history', async (t) => {
    if (!needsRoot(t)) return;
    const original = readFileSync(FIN_TIMEOUT, 'utf8').trim();
    const changed = String(Number(original) === 61 ? 62 : 61);
    const baseline = await httpJson<Snapshot>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
    try {
      writeFileSync(FIN_TIMEOUT, changed);
      const snap = await httpJson<Snapshot>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
      assert.equal(snap.status, 201);
      assert.deepEqual(snap.body.changes, [
        {
          namespace: 'host',
          key: 'net.ipv4.tcp_fin_timeout',
          scope: 'net',
          kind: 'changed',
          old: original,
          new: changed,
        },
      ]);
      const diff = await httpJson<{
        entries: { key: string; before: string; after: string; kind: string; changedAt: string }[];
      }>(
        agent.baseUrl,
        `/api/v1/diff?from=${encodeURIComponent(baseline.body.takenAt)}&to=${encodeURIComponent(snap.body.takenAt)}`,
      );
      assert.equal(diff.status, 200);
      assert.deepEqual(diff.body.entries, [
        {
          key: 'net.ipv4.tcp_fin_timeout',
          scope: 'net',
          kind: 'changed',
          before: original,
          after: changed,
          changedAt: snap.body.takenAt,
          // Made after the baseline snapshot read the host, at or before the one that saw it.
          changedAfter: baseline.body.takenAt,
        },
      ]);
      const history = await httpJson<{
        intervals: {
          value: string;
          from: string;
          to: string | null;
          changedAfter: string | null;
          endedAfter: string | null;
        }[];
      }>(agent.baseUrl, '/api/v1/settings/net.ipv4.tcp_fin_timeout/history');
      assert.equal(history.status, 200);
      assert.deepEqual(
        history.body.intervals.map((i) => i.value),
        [original, changed],
      );
      assert.equal(history.body.intervals[0]?.to, snap.body.takenAt);
      assert.equal(history.body.intervals[1]?.to, null);
      assert.deepEqual(
        [history.body.intervals[0]?.endedAfter, history.body.intervals[1]?.changedAfter],
        [baseline.body.takenAt, baseline.body.takenAt],
        'the change happened in (baseline, snapshot]',
      );
      assert.equal(history.body.intervals[0]?.changedAfter, null, 'there when the agent first looked');
    } finally {
      writeFileSync(FIN_TIMEOUT, original);
    }
    const restored = await httpJson<Snapshot>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
    assert.deepEqual(
      restored.body.changes.map((c) => [c.key, c.old, c.new]),
      [['net.ipv4.tcp_fin_timeout', changed, original]],
    );
    const key = await httpJson<{ value: string; scope: string; volatile: boolean }>(
      agent.baseUrl,
      '/api/v1/settings/net.ipv4.tcp_fin_timeout',
    );
    assert.equal(key.body.value, original);
    assert.equal(key.body.volatile, false);
  });

  test('bad input answers 400 or 404 with a JSON message naming the parameter, never 500', async () => {
    const cases: [string, number, string][] = [
      ['/api/v1/diff', 400, 'from'],
      ['/api/v1/diff?from=yesterday', 400, 'from'],
      ['/api/v1/diff?from=-1h&to=-2h', 400, 'from'],
      ['/api/v1/diff?from=-1h&to=soon', 400, 'to'],
      ['/api/v1/snapshots?limit=0', 400, 'limit'],
      ['/api/v1/snapshots?limit=abc', 400, 'limit'],
      ['/api/v1/snapshots?limit=100000', 400, 'limit'],
      ['/api/v1/snapshots?cursor=-4', 400, 'cursor'],
      ['/api/v1/snapshots?from=2026-02-31T99:00', 400, 'from'],
      ['/api/v1/snapshots?bogus=1', 400, 'bogus'],
      ['/api/v1/snapshots/abc', 400, 'id'],
      ['/api/v1/snapshots/99999999', 404, 'snapshot'],
      ['/api/v1/settings/no.such.key', 404, 'no.such.key'],
      ['/api/v1/settings/no.such.key/history', 404, 'no.such.key'],
      ['/api/v1/settings/..%2F..%2Fetc%2Fshadow', 400, 'key'],
      ['/api/v1/settings/net.core.somaxconn/history?from=x', 400, 'from'],
      ['/api/v1/settings?scope=galactic', 400, 'scope'],
      ['/api/v1/settings?at=tomorrow', 400, 'at'],
      ['/api/v1/settings?prefix=a&prefix=b', 400, 'prefix'],
      ['/api/v1/nothing-here', 404, 'Cannot GET'],
    ];
    for (const [path, status, mention] of cases) {
      const response = await httpJson<{ statusCode: number; error: string; message: string | string[] }>(
        agent.baseUrl,
        path,
      );
      assert.equal(response.status, status, path);
      assert.equal(response.body.statusCode, status, path);
      assert.ok(String(response.body.message).includes(mention), `${path}: ${JSON.stringify(response.body)}`);
    }
  });

  test('history and listing pagination work on the recorded snapshots', async () => {
    const page1 = await httpJson<{ items: Snapshot[]; nextCursor: string | null }>(
      agent.baseUrl,
      '/api/v1/snapshots?limit=2',
    );
    assert.equal(page1.body.items.length, 2);
    assert.ok(page1.body.nextCursor);
    const page2 = await httpJson<{ items: Snapshot[] }>(
      agent.baseUrl,
      `/api/v1/snapshots?limit=2&cursor=${page1.body.nextCursor}`,
    );
    assert.ok(page2.body.items.length >= 1);
    assert.ok(
      (page2.body.items[0]?.id ?? 0) < (page1.body.items[1]?.id ?? 0),
      'older page holds older snapshots',
    );
    const health = await httpJson<{ status: string; lastSnapshot: { ageSeconds: number; stale: boolean } }>(
      agent.baseUrl,
      '/api/v1/health',
    );
    assert.equal(health.body.status, 'ok');
    assert.equal(health.body.lastSnapshot.stale, false);
  });
});

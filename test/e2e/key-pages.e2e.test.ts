import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tempDatabase } from '../helpers/agent-process.js';
import { httpJson, type JsonResponse, waitForStartupSnapshot } from '../helpers/http-json.js';
import { type Agent, startAgent } from '../helpers/start-agent.js';

interface Page<T> {
  items: T[];
  count: number;
  nextCursor: string | null;
}
interface DiffPage {
  count: number;
  entries: { key: string; kind: string; before: string | null; after: string | null; changedAt: string }[];
  nextCursor: string | null;
}
interface Report {
  suspects: { key: string; rank: number }[];
  suspectCount: number;
  timeline: { key: string }[];
  notes: string[];
}

/** Walks every page of a key-ordered list with `limit`, following nextCursor. */
async function walk<T>(baseUrl: string, path: string, limit: number, field: 'items' | 'entries') {
  const all: T[] = [];
  let cursor: string | null = '';
  let pages = 0;
  while (cursor !== null) {
    const response: JsonResponse<Record<string, unknown> & { nextCursor: string | null }> = await httpJson(
      baseUrl,
      `${path}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const items = response.body[field] as T[];
    assert.ok(items.length <= limit);
    all.push(...items);
    cursor = response.body.nextCursor;
    pages += 1;
  }
  return { all, pages };
}

/** Key-ordered pages (namespace settings, diffs) and the report's suspect limit, over real HTTP. */
describe('paged answers: /namespaces/:ns/settings, /diff, /incidents/:id/report', () => {
  const db = tempDatabase('key-pages');
  let agent: Agent;
  const changedKeys = ['kernel.pid_max', 'net.core.somaxconn', 'vm.max_map_count'];
  let changedAt = 0;

  before(async () => {
    agent = await startAgent({ env: { DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' } });
    await waitForStartupSnapshot(agent.baseUrl);
    // Three host settings change one minute after the startup snapshot (written as the writer would).
    const [snapshot] = (await agent.dataSource.query(
      `SELECT "id", "taken_at" FROM "snapshots" ORDER BY "id" DESC LIMIT 1`,
    )) as { id: number; taken_at: number }[];
    assert.ok(snapshot);
    changedAt = snapshot.taken_at + 60_000;
    for (const key of changedKeys) {
      await agent.dataSource.query(
        `UPDATE "setting_values" SET "valid_to" = ?, "closed_by" = ?
          WHERE "valid_to" IS NULL AND "namespace_id" = (SELECT "id" FROM "namespaces" WHERE "identity" = 'host')
            AND "key_id" = (SELECT "id" FROM "keys" WHERE "name" = ?)`,
        [changedAt, snapshot.id, key],
      );
      await agent.dataSource.query(
        `INSERT INTO "setting_values" ("namespace_id", "key_id", "value", "valid_from", "opened_by")
         SELECT n."id", k."id", '12345', ?, ? FROM "namespaces" n, "keys" k WHERE n."identity" = 'host' AND k."name" = ?`,
        [changedAt, snapshot.id, key],
      );
    }
  });

  after(async () => {
    await agent?.close();
    db.cleanup();
  });

  test('namespace settings: pages in key order that add up to the whole list', async () => {
    const first = await httpJson<Page<{ key: string }>>(agent.baseUrl, '/api/v1/namespaces/host/settings');
    assert.equal(first.status, 200);
    assert.equal(first.body.count, first.body.items.length);
    assert.ok(first.body.items.length <= 200, 'default page of 200');
    const whole = await walk<{ key: string }>(
      agent.baseUrl,
      '/api/v1/namespaces/host/settings?at=-0s',
      1000,
      'items',
    );
    const small = await walk<{ key: string }>(
      agent.baseUrl,
      '/api/v1/namespaces/host/settings?at=-0s',
      97,
      'items',
    );
    assert.ok(small.pages > 1, 'a host has more than 97 settings');
    assert.deepEqual(small.all, whole.all);
    const keys = whole.all.map((s) => s.key);
    assert.deepEqual(keys, [...keys].sort(), 'key order');
    assert.equal(new Set(keys).size, keys.length, 'no key twice');
    const prefixed = await walk<{ key: string }>(
      agent.baseUrl,
      '/api/v1/namespaces/host/settings?prefix=net.ipv4.',
      10,
      'items',
    );
    assert.ok(prefixed.all.length > 10);
    assert.ok(prefixed.all.every((s) => s.key.startsWith('net.ipv4.')));
  });

  test('diff: the changes of a window, paged', async () => {
    const window = `from=${changedAt - 1}&to=${changedAt + 1}`;
    const first = await httpJson<DiffPage>(agent.baseUrl, `/api/v1/diff?${window}&limit=2`);
    assert.equal(first.status, 200);
    assert.equal(first.body.count, 2);
    assert.deepEqual(
      first.body.entries.map((e) => [e.key, e.kind, e.after, e.changedAt]),
      changedKeys.slice(0, 2).map((k) => [k, 'changed', '12345', new Date(changedAt).toISOString()]),
    );
    assert.equal(first.body.nextCursor, changedKeys[1]);
    const rest = await httpJson<DiffPage>(
      agent.baseUrl,
      `/api/v1/diff?${window}&limit=2&cursor=${first.body.nextCursor}`,
    );
    assert.deepEqual(
      rest.body.entries.map((e) => e.key),
      [changedKeys[2]],
    );
    assert.equal(rest.body.nextCursor, null);
    const everything = await walk<{ key: string; kind: string }>(
      agent.baseUrl,
      '/api/v1/diff?from=0',
      300,
      'entries',
    );
    assert.ok(everything.all.length > 300 && everything.all.every((e) => e.kind === 'added'));
  });

  test('report: the highest `limit` suspects, their timeline, and how many there are', async () => {
    const created = await httpJson<{ id: number }>(agent.baseUrl, '/api/v1/incidents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'paged',
        startedAt: new Date(changedAt - 1000).toISOString(),
        endedAt: new Date(changedAt + 1000).toISOString(),
      }),
    });
    assert.equal(created.status, 201);
    const path = `/api/v1/incidents/${created.body.id}/report`;
    const all = await httpJson<Report>(agent.baseUrl, path);
    assert.equal(all.body.suspectCount, 3);
    assert.equal(all.body.suspects.length, 3);
    const top = await httpJson<Report>(agent.baseUrl, `${path}?limit=2`);
    assert.equal(top.status, 200);
    assert.equal(top.body.suspectCount, 3);
    assert.deepEqual(top.body.suspects, all.body.suspects.slice(0, 2));
    const listed = new Set(top.body.suspects.map((s) => s.key));
    assert.ok(top.body.timeline.length > 0 && top.body.timeline.every((t) => listed.has(t.key)));
    assert.match(top.body.notes.join(' '), /2 highest of 3 suspects/);
  });

  test('bad limits and cursors answer 400 naming the parameter', async () => {
    const { id } = (
      await httpJson<{ id: number }>(agent.baseUrl, '/api/v1/incidents', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'x', startedAt: '-1m' }),
      })
    ).body;
    for (const [path, mention] of [
      ['/api/v1/namespaces/host/settings?limit=0', 'limit'],
      ['/api/v1/namespaces/host/settings?limit=1001', 'limit'],
      ['/api/v1/namespaces/host/settings?limit=ten', 'limit'],
      ['/api/v1/namespaces/host/settings?cursor=..%2F..%2Fetc', 'cursor'],
      ['/api/v1/diff?from=-1h&limit=-5', 'limit'],
      ['/api/v1/diff?from=-1h&cursor=%00', 'cursor'],
      [`/api/v1/incidents/${id}/report?limit=0`, 'limit'],
      [`/api/v1/incidents/${id}/report?limit=5000`, 'limit'],
    ] as const) {
      const response = await httpJson<{ message: string }>(agent.baseUrl, path);
      assert.equal(response.status, 400, path);
      assert.ok(response.body.message.includes(mention), `${path} → ${response.body.message}`);
    }
  });
});

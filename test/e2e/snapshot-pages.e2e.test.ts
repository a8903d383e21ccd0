import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tempDatabase } from '../helpers/agent-process.js';
import { FakeProcRoot, isolatedEnv } from '../helpers/fake-proc-root.js';
import { httpJson, waitForStartupSnapshot } from '../helpers/http-json.js';
import { type Agent, startAgent } from '../helpers/start-agent.js';

interface Change {
  namespace: string;
  key: string;
  scope: string;
  kind: 'added' | 'removed' | 'changed';
  old: string | null;
  new: string | null;
}
interface Detail {
  id: number;
  changeCount: number;
  changes: Change[];
  nextCursor: string | null;
}

const KEYS = 3000;
const key = (i: number): string => `fs.pages.k${String(i).padStart(5, '0')}`;

/** Every page of GET /snapshots/:id at `limit`, following nextCursor. */
async function walk(baseUrl: string, id: number, limit: number): Promise<{ all: Change[]; pages: number }> {
  const all: Change[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query: string = `limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
    const page = await httpJson<Detail>(baseUrl, `/api/v1/snapshots/${id}?${query}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.ok(page.body.changes.length <= limit, `page ${pages} holds ${page.body.changes.length}`);
    all.push(...page.body.changes);
    cursor = page.body.nextCursor;
    pages += 1;
  } while (cursor !== null);
  return { all, pages };
}

/** A snapshot of thousands of changes, produced by the real pipeline from a procfs root, read a page at a time. */
describe('GET /snapshots/:id pages its changes', () => {
  const db = tempDatabase('snapshot-pages');
  const proc = new FakeProcRoot(Object.fromEntries(Array.from({ length: KEYS }, (_, i) => [key(i), '1'])));
  let agent: Agent;
  let large: Detail;
  const expected = new Map<string, Change>();

  before(async () => {
    agent = await startAgent({ env: isolatedEnv(proc.dir, db.dbPath) });
    await waitForStartupSnapshot(agent.baseUrl);
    // 1,500 values change, 500 keys go away and 700 new ones appear: 2,700 changes of three kinds.
    for (let i = 0; i < 1500; i++) {
      proc.set({ [key(i)]: '2' });
      expected.set(key(i), {
        namespace: 'host',
        key: key(i),
        scope: 'global',
        kind: 'changed',
        old: '1',
        new: '2',
      });
    }
    for (let i = 1500; i < 2000; i++) {
      rmSync(path.join(proc.dir, 'sys', ...key(i).split('.')));
      expected.set(key(i), {
        namespace: 'host',
        key: key(i),
        scope: 'global',
        kind: 'removed',
        old: '1',
        new: null,
      });
    }
    for (let i = KEYS; i < KEYS + 700; i++) {
      proc.set({ [key(i)]: '3' });
      expected.set(key(i), {
        namespace: 'host',
        key: key(i),
        scope: 'global',
        kind: 'added',
        old: null,
        new: '3',
      });
    }
    const taken = await httpJson<Detail>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
    assert.equal(taken.status, 201, JSON.stringify(taken.body).slice(0, 300));
    large = taken.body;
  });

  after(async () => {
    await agent?.close();
    proc.cleanup();
    db.cleanup();
  });

  test('POST answers the first page (200 changes) with a cursor, and the total in changeCount', () => {
    assert.equal(large.changeCount, expected.size);
    assert.equal(large.changes.length, 200);
    assert.match(large.nextCursor ?? '', /^\d+$/);
  });

  test('the default page is bounded: 200 changes, a few tens of KB', async () => {
    const response = await fetch(`${agent.baseUrl}/api/v1/snapshots/${large.id}`);
    const text = await response.text();
    const body = JSON.parse(text) as Detail;
    assert.equal(response.status, 200);
    assert.equal(body.changes.length, 200);
    process.stdout.write(`# default page: ${text.length} bytes of ${large.changeCount} changes\n`);
    assert.ok(text.length < 64 * 1024, `${text.length} bytes`);
    assert.deepEqual(body.changes, large.changes, 'GET and POST answer the same first page');
  });

  for (const limit of [1000, 333]) {
    test(`pages of ${limit} together hold every change exactly once`, async () => {
      const { all, pages } = await walk(agent.baseUrl, large.id, limit);
      assert.equal(pages, Math.ceil(expected.size / limit));
      assert.equal(all.length, expected.size);
      const seen = new Map(all.map((c) => [c.key, c]));
      assert.equal(seen.size, all.length, 'no change twice');
      for (const [name, change] of expected) assert.deepEqual(seen.get(name), change, name);
    });
  }

  test('the startup snapshot pages its 3,000 added keys; an idle one has one empty page', async () => {
    const startup = (
      await httpJson<{ items: { id: number }[] }>(agent.baseUrl, '/api/v1/snapshots')
    ).body.items.at(-1);
    assert.ok(startup);
    const { all } = await walk(agent.baseUrl, startup.id, 1000);
    assert.equal(all.length, KEYS);
    assert.ok(all.every((c) => c.kind === 'added' && c.new === '1'));
    const idle = await httpJson<Detail>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
    assert.deepEqual([idle.body.changes, idle.body.nextCursor], [[], null]);
  });

  test('a bad limit or cursor is a 400 naming it', async () => {
    for (const [query, parameter] of [
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['cursor=abc', 'cursor'],
      ['cursor=-1', 'cursor'],
    ] as const) {
      const response = await httpJson<{ message: string }>(
        agent.baseUrl,
        `/api/v1/snapshots/${large.id}?${query}`,
      );
      assert.equal(response.status, 400, query);
      assert.match(response.body.message, new RegExp(`^${parameter}:`));
    }
  });
});

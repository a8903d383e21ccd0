import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type RunningAgent, startAgent, tempDatabase } from '../helpers/agent-process.js';
import { httpJson, waitForStartupSnapshot } from '../helpers/http-json.js';

interface Incident {
  id: number;
  title: string;
  startedAt: string;
  endedAt: string | null;
  namespace: string | null;
  symptoms: string[];
  source: string;
  status: string;
}

describe('incidents over real HTTP', () => {
  const db = tempDatabase('incidents');
  let agent: RunningAgent;

  before(async () => {
    agent = await startAgent({ DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' });
    await waitForStartupSnapshot(agent.baseUrl, 20_000);
  });

  after(async () => {
    await agent?.stop();
    db.cleanup();
  });

  const post = (body: unknown) =>
    httpJson<Incident & { message: string }>(agent.baseUrl, '/api/v1/incidents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  test('create, read, list, report and delete an incident', async () => {
    const created = await post({
      title: 'api timeouts',
      startedAt: '-2m',
      namespace: 'host',
      symptoms: ['502s'],
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.title, 'api timeouts');
    assert.equal(created.body.namespace, 'host');
    assert.deepEqual(created.body.symptoms, ['502s']);
    assert.equal(created.body.source, 'api');
    const fetched = await httpJson<Incident>(agent.baseUrl, `/api/v1/incidents/${created.body.id}`);
    assert.deepEqual(fetched.body, created.body);
    const list = await httpJson<{ items: Incident[] }>(agent.baseUrl, '/api/v1/incidents?from=-1h');
    assert.ok(list.body.items.some((i) => i.id === created.body.id));

    const report = await httpJson<{ suspects: unknown[]; notes: string[]; window: { from: string } }>(
      agent.baseUrl,
      `/api/v1/incidents/${created.body.id}/report?lookback=1s`,
    );
    assert.equal(report.status, 200);
    assert.deepEqual(report.body.suspects, [], 'a window with no evidence says so');
    assert.match(report.body.notes.join(' '), /no recorded change/);
    assert.equal(report.body.window.from, created.body.startedAt);

    const removed = await fetch(`${agent.baseUrl}/api/v1/incidents/${created.body.id}`, { method: 'DELETE' });
    assert.equal(removed.status, 204);
    const gone = await httpJson(agent.baseUrl, `/api/v1/incidents/${created.body.id}`);
    assert.equal(gone.status, 404);
  });

  test('bad incidents and bad report parameters answer 400/404 naming what is wrong', async () => {
    const cases: [unknown, number, string][] = [
      [{ startedAt: '-1h' }, 400, 'title'],
      [{ title: 'x' }, 400, 'startedAt'],
      [{ title: 'x', startedAt: 'yesterday' }, 400, 'startedAt'],
      [{ title: 'x', startedAt: '-1h', endedAt: '-2h' }, 400, 'endedAt'],
      [{ title: 'x', startedAt: '-1h', namespace: 'no-such-container' }, 404, 'no-such-container'],
      [{ title: 'x', startedAt: '-1h', severity: 'high' }, 400, 'severity'],
      [{ title: 'x'.repeat(500), startedAt: '-1h' }, 400, 'title'],
      [{ title: 'x', startedAt: '-1h', symptoms: 'not-a-list' }, 400, 'symptoms'],
      ['just a string', 400, ''],
    ];
    for (const [body, status, mention] of cases) {
      const response = await post(body);
      assert.equal(response.status, status, JSON.stringify(body));
      assert.ok(
        String(response.body.message).includes(mention),
        `${JSON.stringify(body)} → ${JSON.stringify(response.body)}`,
      );
    }
    const malformed = await fetch(`${agent.baseUrl}/api/v1/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"title": ',
    });
    assert.equal(malformed.status, 400, 'malformed JSON is a 400, not a 500');
    const created = await post({ title: 'ok', startedAt: '-1m' });
    for (const [path, status, mention] of [
      [`/api/v1/incidents/${created.body.id}/report?lookback=forever`, 400, 'lookback'],
      [`/api/v1/incidents/${created.body.id}/report?lookback=1000d`, 400, 'lookback'],
      ['/api/v1/incidents/abc', 400, 'id'],
      ['/api/v1/incidents/424242/report', 404, '424242'],
      ['/api/v1/incidents?limit=0', 400, 'limit'],
    ] as const) {
      const response = await httpJson<{ message: string }>(agent.baseUrl, path);
      assert.equal(response.status, status, path);
      assert.ok(String(response.body.message).includes(mention), `${path}: ${JSON.stringify(response.body)}`);
    }
  });

  test('PATCH ends, reopens and renames an incident; contradictions are 400/409, unknown ids 404', async () => {
    const patch = (id: number | string, body: unknown) =>
      httpJson<Incident & { message: string }>(agent.baseUrl, `/api/v1/incidents/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const created = await post({ title: 'slow', startedAt: '-10m' });
    assert.equal(created.body.status, 'open');
    const ended = await patch(created.body.id, { endedAt: '-1m', title: 'slow checkout' });
    assert.equal(ended.status, 200);
    assert.equal(ended.body.title, 'slow checkout');
    assert.equal(ended.body.status, 'resolved');
    assert.ok(ended.body.endedAt !== null && ended.body.endedAt > created.body.startedAt);
    const reopened = await patch(created.body.id, { status: 'open' });
    assert.deepEqual([reopened.status, reopened.body.endedAt, reopened.body.status], [200, null, 'open']);
    const resolved = await patch(created.body.id, { status: 'resolved' });
    assert.equal(resolved.body.status, 'resolved');
    assert.ok(resolved.body.endedAt !== null);
    const fetched = await httpJson<Incident>(agent.baseUrl, `/api/v1/incidents/${created.body.id}`);
    assert.deepEqual(fetched.body, resolved.body, 'the change is stored');
    for (const [id, body, status, mention] of [
      [created.body.id, { endedAt: '-1h' }, 409, 'before'],
      [created.body.id, { status: 'closed' }, 400, 'status'],
      [created.body.id, { status: 'open', endedAt: '-1m' }, 400, 'status'],
      [created.body.id, {}, 400, 'title'],
      [created.body.id, { endedAt: 'soonish' }, 400, 'endedAt'],
      [created.body.id, { startedAt: '-1h' }, 400, 'startedAt'],
      ['abc', { status: 'open' }, 400, 'id'],
      [424242, { status: 'resolved' }, 404, '424242'],
    ] as const) {
      const answer = await patch(id, body);
      assert.equal(answer.status, status, JSON.stringify(body));
      assert.ok(
        String(answer.body.message).includes(mention),
        `${JSON.stringify(body)} → ${JSON.stringify(answer.body)}`,
      );
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tempDatabase } from '../helpers/agent-process.js';
import { FakeProcRoot, isolatedEnv } from '../helpers/fake-proc-root.js';
import { httpJson, waitForStartupSnapshot } from '../helpers/http-json.js';
import { type Agent, startAgent } from '../helpers/start-agent.js';
import { envelopeOf, WebhookReceiver } from '../helpers/webhook-receiver.js';

interface ErrorBody {
  statusCode: number;
  message: string | string[];
}

const LONG_KEY = `fs.${'a'.repeat(250)}`;
/** 29 characters, valid: as a backtracking regex it held the agent for 50 s on one changed key like LONG_KEY. */
const STAR_HEAVY_GLOB = 'fs.a*a*a*a*a*a*a*a*a*a*a*a*a*b';

/** What one request costs and answers, over real HTTP. */
async function send(baseUrl: string, method: string, path: string, body: string) {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    body,
    headers: { 'content-type': 'application/json' },
  });
  const text = await response.text();
  const ms = Math.round(performance.now() - started);
  return { status: response.status, bytes: text.length, body: JSON.parse(text) as ErrorBody, ms };
}

const members = (count: number): string =>
  JSON.stringify(Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 1])));

describe('bounded inputs: request bodies, error answers, webhook globs', () => {
  const db = tempDatabase('request-bounds');
  const proc = new FakeProcRoot({ [LONG_KEY]: '1', 'kernel.ostype': 'Linux' });
  let agent: Agent;

  before(async () => {
    agent = await startAgent({ env: isolatedEnv(proc.dir, db.dbPath) });
    await waitForStartupSnapshot(agent.baseUrl);
  });

  after(async () => {
    await agent?.close();
    proc.cleanup();
    db.cleanup();
  });

  test('a 1 MB body of 60,000 members is a small 413 on every body route', async () => {
    const body = members(60_000);
    assert.ok(body.length > 600_000);
    for (const [method, path] of [
      ['POST', '/api/v1/webhooks'],
      ['PATCH', '/api/v1/webhooks/1'],
      ['POST', '/api/v1/incidents'],
    ] as const) {
      const answer = await send(agent.baseUrl, method, path, body);
      process.stdout.write(`# ${method} ${path}: ${answer.status}, ${answer.bytes} bytes, ${answer.ms} ms\n`);
      assert.equal(answer.status, 413, `${method} ${path}`);
      assert.ok(answer.bytes < 1024, `${answer.bytes} bytes`);
    }
  });

  test('a body under the byte limit with more than 1,000 values is refused before validation', async () => {
    const body = members(15_000);
    assert.ok(body.length < 256 * 1024);
    const answer = await send(agent.baseUrl, 'POST', '/api/v1/webhooks', body);
    process.stdout.write(`# 15,000 members: ${answer.status}, ${answer.bytes} bytes, ${answer.ms} ms\n`);
    assert.equal(answer.status, 413);
    assert.match(String(answer.body.message), /more than 1000 JSON values/);
  });

  test('an error lists at most 20 problems, then how many more', async () => {
    const answer = await send(agent.baseUrl, 'POST', '/api/v1/incidents', members(900));
    assert.equal(answer.status, 400);
    assert.ok(Array.isArray(answer.body.message));
    assert.equal(answer.body.message.length, 21);
    assert.equal(answer.body.message[0], 'property k0 should not exist');
    assert.match(answer.body.message[20] ?? '', /^… and \d+ more problems$/);
    assert.ok(answer.bytes < 2048, `${answer.bytes} bytes`);
  });

  test('a star-heavy key glob and a long changed key: the snapshot commits and the right hook fires', async () => {
    const starHeavy = await WebhookReceiver.start();
    const all = await WebhookReceiver.start();
    try {
      for (const [receiver, keys] of [
        [starHeavy, [STAR_HEAVY_GLOB]],
        [all, ['fs.*']],
      ] as const) {
        const created = await httpJson(agent.baseUrl, '/api/v1/webhooks', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ url: receiver.url(), events: ['setting.changed'], keys }),
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
      }
      proc.set({ [LONG_KEY]: '2' });
      const taken = await httpJson<{ changes: { key: string }[] }>(agent.baseUrl, '/api/v1/snapshots', {
        method: 'POST',
      });
      assert.equal(taken.status, 201);
      assert.deepEqual(
        taken.body.changes.map((c) => c.key),
        [LONG_KEY],
      );
      const [delivered] = await all.waitForDelivered(1);
      assert.ok(delivered);
      assert.equal(envelopeOf(delivered).events[0]?.data.key, LONG_KEY);
      assert.equal(starHeavy.requests.length, 0, 'the star-heavy glob matches nothing here');
    } finally {
      await starHeavy.down();
      await all.down();
    }
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type RunningAgent, startAgent, tempDatabase } from '../helpers/agent-process.js';
import { FakeProcRoot, isolatedEnv } from '../helpers/fake-proc-root.js';
import { httpJson, waitFor, waitForStartupSnapshot } from '../helpers/http-json.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

/*
 * Where webhooks may go (WEBHOOK_ALLOW, WEBHOOK_DENY, built-in link-local denial), with the real agent and real
 * setting changes of a fake procfs root. Traffic goes only to a loopback receiver: a denied destination is
 * refused before any connection, so a link-local URL never reaches the network.
 */

interface Delivery {
  status: string;
  attempts: number;
  lastError: string | null;
  attemptLog: { statusCode: number | null; error: string | null }[];
}

const FAST_RETRIES = { WEBHOOK_BACKOFF_BASE_MS: '20', WEBHOOK_MAX_ATTEMPTS: '2' };

async function startedAgent(env: Record<string, string>): Promise<RunningAgent> {
  const agent = await startAgent({ ...FAST_RETRIES, ...env });
  await waitForStartupSnapshot(agent.baseUrl);
  return agent;
}

function subscribe(agent: RunningAgent, url: string) {
  return httpJson<{ id: number; message?: string }>(agent.baseUrl, '/api/v1/webhooks', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url, events: ['setting.changed'], keys: ['fs.aio-max-nr'] }),
  });
}

/** A real change of fs.aio-max-nr, recorded by a snapshot: one setting.changed for each subscription. */
async function changeSetting(agent: RunningAgent, proc: FakeProcRoot, value: string): Promise<void> {
  proc.set({ 'fs.aio-max-nr': value });
  const taken = await httpJson(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
  assert.equal(taken.status, 201, JSON.stringify(taken.body));
}

function finalDelivery(agent: RunningAgent, webhookId: number): Promise<Delivery> {
  return waitFor(
    async () => {
      const log = await httpJson<{ items: Delivery[] }>(
        agent.baseUrl,
        `/api/v1/webhooks/${webhookId}/deliveries`,
      );
      const [delivery] = log.body.items;
      return delivery && delivery.status !== 'pending' ? delivery : undefined;
    },
    15_000,
    `the delivery of webhook ${webhookId} to end`,
  );
}

test('loopback delivers; link-local and metadata URLs and ranges outside WEBHOOK_ALLOW are refused with 400', async () => {
  const db = tempDatabase('webhook-destinations-allow');
  const proc = new FakeProcRoot({ 'fs.aio-max-nr': '100' });
  const receiver = await WebhookReceiver.start();
  const agent = await startedAgent({ ...isolatedEnv(proc.dir, db.dbPath), WEBHOOK_ALLOW: '192.0.2.0/24' });
  try {
    for (const [url, reason] of [
      ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is link-local .*denied by default/],
      ['http://[::ffff:169.254.169.254]/', /link-local/],
      ['http://[fe80::1]:8080/hook', /fe80::1 is link-local/],
      ['http://0.0.0.0:8080/hook', /unspecified/],
      ['http://[fd00:ec2::254]/', /AWS metadata/],
      ['https://198.51.100.7/hook', /198\.51\.100\.7 is not in WEBHOOK_ALLOW/],
    ] as const) {
      const refused = await subscribe(agent, url);
      assert.equal(refused.status, 400, `${url}: ${JSON.stringify(refused.body)}`);
      assert.match(refused.body.message ?? '', /^url: is refused: /);
      assert.match(refused.body.message ?? '', reason);
    }
    const listed = await httpJson<{ items: unknown[] }>(agent.baseUrl, '/api/v1/webhooks');
    assert.deepEqual(listed.body.items, [], 'nothing refused was stored');
    const hook = await subscribe(agent, receiver.url());
    assert.equal(hook.status, 201, 'loopback stays allowed with WEBHOOK_ALLOW set (a local relay)');
    const moved = await httpJson<{ message: string }>(agent.baseUrl, `/api/v1/webhooks/${hook.body.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'http://169.254.169.254/hook' }),
    });
    assert.equal(moved.status, 400, 'a change of URL is checked like a new one');
    assert.match(moved.body.message, /^url: is refused: 169\.254\.169\.254 is link-local/);
    await changeSetting(agent, proc, '200');
    await receiver.waitForDelivered(1);
    assert.equal((await finalDelivery(agent, hook.body.id)).status, 'delivered');
  } finally {
    await agent.stop();
    await receiver.down();
    db.cleanup();
    proc.cleanup();
  }
});

test('WEBHOOK_DENY blocks a real loopback receiver, also through a host name resolved at each attempt', async () => {
  const db = tempDatabase('webhook-destinations-deny');
  const proc = new FakeProcRoot({ 'fs.aio-max-nr': '100' });
  const receiver = await WebhookReceiver.start();
  const agent = await startedAgent({ ...isolatedEnv(proc.dir, db.dbPath), WEBHOOK_DENY: '127.0.0.0/8,::1' });
  try {
    const literal = await subscribe(agent, receiver.url());
    assert.equal(literal.status, 400);
    assert.match(literal.body.message ?? '', /127\.0\.0\.1 is in WEBHOOK_DENY/);
    // A name needs DNS, so it is accepted now and checked at every attempt, after resolution.
    const named = await subscribe(agent, `http://localhost:${receiver.port}/hook`);
    assert.equal(named.status, 201, JSON.stringify(named.body));
    await changeSetting(agent, proc, '200');
    const delivery = await finalDelivery(agent, named.body.id);
    assert.equal(delivery.status, 'failed');
    assert.equal(delivery.attempts, 2);
    assert.deepEqual(
      delivery.attemptLog.map((a) => [a.statusCode, a.error]),
      [
        [null, 'destination refused: localhost (127.0.0.1) is in WEBHOOK_DENY'],
        [null, 'destination refused: localhost (127.0.0.1) is in WEBHOOK_DENY'],
      ],
    );
    assert.equal(receiver.requests.length, 0, 'nothing reached the receiver');
  } finally {
    await agent.stop();
    await receiver.down();
    db.cleanup();
    proc.cleanup();
  }
});

test('a stored link-local subscription is refused at delivery once the rules deny it; nothing is sent', async () => {
  const db = tempDatabase('webhook-destinations-stored');
  const proc = new FakeProcRoot({ 'fs.aio-max-nr': '100' });
  const env = isolatedEnv(proc.dir, db.dbPath);
  // An agent that allowed the range stores the subscription; it takes no snapshot after that, so it sends nothing.
  const permissive = await startedAgent({ ...env, WEBHOOK_ALLOW: '169.254.169.254/32' });
  let hookId: number;
  try {
    const created = await subscribe(permissive, 'http://169.254.169.254/hook');
    assert.equal(created.status, 201, JSON.stringify(created.body));
    hookId = created.body.id;
  } finally {
    await permissive.stop();
  }
  const agent = await startedAgent(env);
  try {
    await changeSetting(agent, proc, '200');
    const delivery = await finalDelivery(agent, hookId);
    assert.equal(delivery.status, 'failed');
    assert.equal(delivery.attemptLog.length, 2);
    for (const attempt of delivery.attemptLog) {
      assert.equal(attempt.statusCode, null);
      assert.match(attempt.error ?? '', /^destination refused: 169\.254\.169\.254 is link-local/);
    }
  } finally {
    await agent.stop();
    db.cleanup();
    proc.cleanup();
  }
});

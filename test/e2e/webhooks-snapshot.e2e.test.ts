import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { type RunningAgent, startAgent, tempDatabase } from '../helpers/agent-process.js';
import { FakeProcRoot, isolatedEnv } from '../helpers/fake-proc-root.js';
import { httpJson, waitForStartupSnapshot } from '../helpers/http-json.js';
import { needsRoot } from '../helpers/privileges.js';
import { envelopeOf, WebhookReceiver } from '../helpers/webhook-receiver.js';
import { verifySignature } from '../../src/domain/webhooks/sign-payload.js';

/**
 * Snapshot → outbox → receiver through the real agent process (dist-test/src/main.js). Needs the lead's
 * wiring (migration, entities, WebhooksModule in AppModule, the enqueueSnapshotEvents call in SnapshotWriter).
 */

const AIO_MAX = '/proc/sys/fs/aio-max-nr';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

async function startedAgent(env: Record<string, string>): Promise<RunningAgent> {
  const agent = await startAgent({ WEBHOOK_BACKOFF_BASE_MS: '50', ...env });
  await waitForStartupSnapshot(agent.baseUrl);
  return agent;
}

async function subscribe(
  agent: RunningAgent,
  body: Record<string, unknown>,
): Promise<{ id: number; secret: string }> {
  const created = await httpJson<{ id: number; secret: string }>(
    agent.baseUrl,
    '/api/v1/webhooks',
    post(body),
  );
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body;
}

async function snapshot(agent: RunningAgent): Promise<void> {
  const taken = await httpJson(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
  assert.equal(taken.status, 201, JSON.stringify(taken.body));
}

test('a real host limit change raises exactly one signed setting.changed with old and new', async (t) => {
  if (!needsRoot(t)) return;
  const db = tempDatabase('webhooks-sysctl');
  const receiver = await WebhookReceiver.start();
  const original = readFileSync(AIO_MAX, 'utf8').trim();
  let agent: RunningAgent | undefined;
  try {
    agent = await startedAgent({ DB_PATH: db.dbPath, PROC_ROOT: '/proc', SNAPSHOT_INTERVAL: '3600' });
    const hook = await subscribe(agent, {
      url: receiver.url(),
      events: ['setting.changed'],
      keys: ['fs.aio-max-nr'],
    });
    const changed = String(Number(original) + 1);
    writeFileSync(AIO_MAX, changed);
    await snapshot(agent);
    const [request] = await receiver.waitForDelivered(1);
    await sleep(500);
    assert.equal(receiver.requests.length, 1, 'exactly one delivery');
    assert.ok(request);
    const timestamp = Number(request.headers['x-kernel-ledger-timestamp']);
    assert.ok(
      verifySignature(
        hook.secret,
        timestamp,
        request.body,
        String(request.headers['x-kernel-ledger-signature']),
      ),
    );
    assert.equal(request.headers['x-kernel-ledger-event'], 'setting.changed');
    const envelope = envelopeOf(request);
    assert.equal(envelope.id, request.headers['x-kernel-ledger-delivery']);
    assert.equal(envelope.events.length, 1);
    const data = envelope.events[0]?.data ?? {};
    assert.equal(data.key, 'fs.aio-max-nr');
    assert.equal(data.old, original);
    assert.equal(data.new, changed);
    assert.equal(data.isLimit, true);
    assert.equal(data.scope, 'global');
    assert.equal((data.namespace as { identity: string }).identity, 'host');
    assert.ok((data.seenBy as { namespaceSets: number }).namespaceSets >= 1);
  } finally {
    writeFileSync(AIO_MAX, original);
    await agent?.stop();
    await receiver.down();
    db.cleanup();
  }
});

test('saturation up, hovering, restart, recovery: exactly one up and one down event', async () => {
  const db = tempDatabase('webhooks-saturation');
  const proc = new FakeProcRoot({ 'fs.aio-nr': '50', 'fs.aio-max-nr': '100' });
  const receiver = await WebhookReceiver.start();
  const env = isolatedEnv(proc.dir, db.dbPath);
  let agent = await startedAgent(env);
  try {
    await subscribe(agent, { url: receiver.url(), events: ['limit.saturation'] });
    for (const usage of ['85', '79', '82', '76']) {
      proc.set({ 'fs.aio-nr': usage });
      await snapshot(agent);
    }
    await agent.stop();
    agent = await startedAgent(env); // the startup snapshot reads 76 again: still warn, nothing fires
    for (const usage of ['84', '77', '60', '62']) {
      proc.set({ 'fs.aio-nr': usage });
      await snapshot(agent);
    }
    await receiver.waitForDelivered(2);
    await sleep(500);
    const events = receiver.delivered.map(envelopeOf).flatMap((e) => e.events);
    assert.deepEqual(
      events.map((e) => [e.type, e.data.direction, e.data.level, e.data.usage, e.data.limit]),
      [
        ['limit.saturation', 'up', 'warn', 85, 100],
        ['limit.saturation', 'down', 'ok', 60, 100],
      ],
    );
  } finally {
    await agent.stop();
    await receiver.down();
    db.cleanup();
    proc.cleanup();
  }
});

test('kill -9 after the snapshot commits, before delivery: the event arrives after restart, same delivery id', async () => {
  const db = tempDatabase('webhooks-crash-snapshot');
  const proc = new FakeProcRoot({ 'fs.aio-nr': '1', 'fs.aio-max-nr': '100' });
  const receiver = await WebhookReceiver.start();
  receiver.mode = 'hang';
  const env = { ...isolatedEnv(proc.dir, db.dbPath), WEBHOOK_TIMEOUT_MS: '60000' };
  let agent = await startedAgent(env);
  try {
    const hook = await subscribe(agent, { url: receiver.url(), events: ['setting.changed'] });
    proc.set({ 'fs.aio-max-nr': '200' });
    await snapshot(agent);
    const [hung] = await receiver.waitForRequests(1);
    await agent.kill9();
    receiver.mode = 'ok';
    agent = await startedAgent(env);
    const [arrived] = await receiver.waitForDelivered(1);
    assert.equal(arrived?.headers['x-kernel-ledger-delivery'], hung?.headers['x-kernel-ledger-delivery']);
    assert.equal(arrived?.body, hung?.body);
    assert.equal(envelopeOf(arrived).events[0]?.data.new, '200');
    const log = await httpJson<{ items: { status: string; attempts: number }[] }>(
      agent.baseUrl,
      `/api/v1/webhooks/${hook.id}/deliveries`,
    );
    assert.deepEqual(
      log.body.items.map((d) => [d.status, d.attempts]),
      [['delivered', 1]],
    );
  } finally {
    await agent.stop();
    await receiver.down();
    db.cleanup();
    proc.cleanup();
  }
});

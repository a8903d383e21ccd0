import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { type RunningAgent, startAgent, tempDatabase } from '../helpers/agent-process.js';
import { FakeProcRoot, isolatedEnv } from '../helpers/fake-proc-root.js';
import { httpJson, waitFor } from '../helpers/http-json.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

interface Delivery {
  id: string;
  status: string;
  attempts: number;
}

const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

test('kill -9 while a delivery is in flight: pending rows resume after restart, same delivery id', async () => {
  const db = tempDatabase('webhooks-crash');
  const proc = new FakeProcRoot({ 'kernel.ostype': 'Linux' });
  const receiver = await WebhookReceiver.start();
  receiver.mode = 'hang';
  const env = {
    ...isolatedEnv(proc.dir, db.dbPath),
    WEBHOOK_TIMEOUT_MS: '60000',
    WEBHOOK_BACKOFF_BASE_MS: '50',
  };
  let agent: RunningAgent = await startAgent(env);
  try {
    const hook = await httpJson<{ id: number }>(
      agent.baseUrl,
      '/api/v1/webhooks',
      post({ url: receiver.url() }),
    );
    assert.equal(hook.status, 201);
    const ping = await httpJson<Delivery>(agent.baseUrl, `/api/v1/webhooks/${hook.body.id}/test`, {
      method: 'POST',
    });
    assert.equal(ping.status, 202);
    const [hung] = await receiver.waitForRequests(1);
    assert.equal(hung?.headers['x-kernel-ledger-delivery'], ping.body.id);
    await agent.kill9();

    const file = new Database(db.dbPath, { readonly: true });
    try {
      const row = file
        .prepare('SELECT status, attempts FROM webhook_deliveries WHERE delivery_id = ?')
        .get(ping.body.id);
      assert.deepEqual(
        row,
        { status: 'pending', attempts: 0 },
        'the committed outbox row survived the crash',
      );
    } finally {
      file.close();
    }

    receiver.mode = 'ok';
    agent = await startAgent(env);
    const [arrived] = await receiver.waitForDelivered(1);
    assert.equal(arrived?.headers['x-kernel-ledger-delivery'], ping.body.id);
    assert.equal(arrived?.body, hung?.body, 'the same body as the attempt the crash cut short');
    const delivered = await waitFor(async () => {
      const log = await httpJson<{ items: Delivery[] }>(
        agent.baseUrl,
        `/api/v1/webhooks/${hook.body.id}/deliveries`,
      );
      return log.body.items[0]?.status === 'delivered' ? log.body.items[0] : undefined;
    });
    assert.equal(delivered.attempts, 1);
  } finally {
    await agent.stop();
    await receiver.down();
    db.cleanup();
    proc.cleanup();
  }
});

test('a retry scheduled before the crash resumes after restart', async () => {
  const db = tempDatabase('webhooks-crash-retry');
  const proc = new FakeProcRoot({ 'kernel.ostype': 'Linux' });
  const receiver = await WebhookReceiver.start();
  receiver.mode = 'fail';
  const env = { ...isolatedEnv(proc.dir, db.dbPath), WEBHOOK_BACKOFF_BASE_MS: '1500' };
  let agent: RunningAgent = await startAgent(env);
  try {
    const hook = await httpJson<{ id: number }>(
      agent.baseUrl,
      '/api/v1/webhooks',
      post({ url: receiver.url() }),
    );
    const ping = await httpJson<Delivery>(agent.baseUrl, `/api/v1/webhooks/${hook.body.id}/test`, {
      method: 'POST',
    });
    await receiver.waitForRequests(1);
    await waitFor(async () => {
      const log = await httpJson<{ items: Delivery[] }>(
        agent.baseUrl,
        `/api/v1/webhooks/${hook.body.id}/deliveries`,
      );
      return log.body.items[0]?.attempts === 1 ? true : undefined;
    });
    await agent.kill9();
    receiver.mode = 'ok';
    agent = await startAgent(env);
    const [arrived] = await receiver.waitForDelivered(1, 20_000);
    assert.equal(arrived?.headers['x-kernel-ledger-delivery'], ping.body.id);
    assert.equal(receiver.delivered.length, 1);
    assert.ok(receiver.requests.every((r) => r.headers['x-kernel-ledger-delivery'] === ping.body.id));
  } finally {
    await agent.stop();
    await receiver.down();
    db.cleanup();
    proc.cleanup();
  }
});

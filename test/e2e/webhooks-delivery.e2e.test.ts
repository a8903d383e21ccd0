import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tempDatabase } from '../helpers/agent-process.js';
import { FakeProcRoot, isolatedEnv } from '../helpers/fake-proc-root.js';
import { httpJson, waitFor } from '../helpers/http-json.js';
import { envelopeOf, WebhookReceiver } from '../helpers/webhook-receiver.js';
import { conntrackTableFull, KernelLogFile, pollUntilStored } from '../helpers/kernel-log-file.js';
import { type Agent, startAgent } from '../helpers/start-agent.js';
import { verifySignature } from '../../src/domain/webhooks/sign-payload.js';
import { KmsgService } from '../../src/kernel-events/kmsg.service.js';

interface Delivery {
  id: string;
  event: string;
  eventCount: number;
  status: string;
  attempts: number;
  lastResponseCode: number | null;
  lastError: string | null;
  attemptLog: { statusCode: number | null; error: string | null }[];
}

const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

async function subscribe(
  agent: Agent,
  body: Record<string, unknown>,
): Promise<{ id: number; secret: string }> {
  const created = await httpJson<{ id: number; secret: string }>(agent.api, '/webhooks', post(body));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body;
}

async function deliveries(agent: Agent, webhookId: number, status = ''): Promise<Delivery[]> {
  const query = status === '' ? '' : `?status=${status}`;
  return (await httpJson<{ items: Delivery[] }>(agent.api, `/webhooks/${webhookId}/deliveries${query}`)).body
    .items;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The `kernelEvent` object of a kernel.event's data. */
const kernelEventOf = (data: Record<string, unknown> | undefined): { key?: string } =>
  (data?.kernelEvent ?? {}) as { key?: string };

/** The kernel prints `lines`; the agent's follower stores them and its producers raise the events. */
async function kernelPrints(agent: Agent, log: KernelLogFile, ...lines: string[]): Promise<void> {
  log.append(...lines);
  await pollUntilStored(agent.app.get(KmsgService), lines.length);
}

/** Each call a netns no other test line names: a burst of its own, so one kernel.event of its own. */
let netns = 4026539000;
const tableFull = (): string => conntrackTableFull(++netns);

describe('webhook delivery: retries, failure, redelivery, isolation', () => {
  const db = tempDatabase('webhooks-delivery');
  const dbFailing = tempDatabase('webhooks-failing');
  const proc = new FakeProcRoot({ 'kernel.ostype': 'Linux' });
  const log = new KernelLogFile(db.dir, proc.dir);
  const failingLog = new KernelLogFile(dbFailing.dir, proc.dir);
  let agent: Agent;
  let failing: Agent;

  before(async () => {
    agent = await startAgent({
      env: { ...isolatedEnv(proc.dir, db.dbPath), ...log.env },
      webhooks: { WEBHOOK_BACKOFF_BASE_MS: '40', WEBHOOK_TIMEOUT_MS: '4000' },
    });
    failing = await startAgent({
      env: { ...isolatedEnv(proc.dir, dbFailing.dbPath), ...failingLog.env },
      webhooks: { WEBHOOK_BACKOFF_BASE_MS: '10', WEBHOOK_MAX_ATTEMPTS: '3' },
    });
  });

  after(async () => {
    await agent?.close();
    await failing?.close();
    db.cleanup();
    dbFailing.cleanup();
    proc.cleanup();
  });

  test('receiver down for several attempts, then up: arrives once, same delivery id, failures logged', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      const hook = await subscribe(agent, { url: receiver.url(), events: ['kernel.event'] });
      await receiver.down();
      await kernelPrints(agent, log, tableFull());
      assert.equal((await deliveries(agent, hook.id)).length, 1);
      const failed = await waitFor(
        async () => {
          const [d] = await deliveries(agent, hook.id);
          return d && d.attempts >= 3 ? d : undefined;
        },
        10_000,
        'three failed attempts',
      );
      assert.equal(failed.status, 'pending');
      assert.match(failed.lastError ?? '', /ECONNREFUSED/);
      receiver.mode = 'fail';
      await receiver.up();
      await receiver.waitForRequests(1);
      receiver.mode = 'ok';
      const [arrived] = await receiver.waitForDelivered(1, 10_000);
      await sleep(300);
      assert.equal(receiver.delivered.length, 1, 'delivered exactly once');
      assert.ok(arrived);
      assert.equal(arrived.headers['x-kernel-ledger-delivery'], failed.id);
      assert.ok(receiver.requests.every((r) => r.headers['x-kernel-ledger-delivery'] === failed.id));
      assert.ok(
        receiver.requests.every((r) => r.body === arrived.body),
        'the same body on every attempt',
      );
      assert.ok(
        verifySignature(
          hook.secret,
          Number(arrived.headers['x-kernel-ledger-timestamp']),
          arrived.body,
          String(arrived.headers['x-kernel-ledger-signature']),
        ),
      );
      const [logged] = await deliveries(agent, hook.id, 'delivered');
      assert.ok(logged);
      assert.equal(logged.attempts, logged.attemptLog.length);
      assert.ok(logged.attempts >= 5, `attempts ${logged.attempts}`);
      assert.match(logged.attemptLog[0]?.error ?? '', /ECONNREFUSED/);
      assert.ok(logged.attemptLog.some((a) => a.statusCode === 503));
      assert.equal(logged.attemptLog.at(-1)?.statusCode, 204);
      assert.equal(logged.lastResponseCode, 204);
    } finally {
      await receiver.down();
    }
  });

  test('out of attempts → failed; redeliver sends it again with the same delivery id', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      receiver.mode = 'fail';
      const hook = await subscribe(failing, { url: receiver.url(), events: ['kernel.event'] });
      await kernelPrints(failing, failingLog, tableFull());
      const [dead] = await waitFor(async () => {
        const items = await deliveries(failing, hook.id, 'failed');
        return items.length > 0 ? items : undefined;
      });
      assert.ok(dead);
      assert.equal(dead.attempts, 3);
      assert.equal(dead.lastResponseCode, 503);
      assert.equal(receiver.requests.length, 3);
      receiver.mode = 'ok';
      const again = await httpJson<Delivery>(
        failing.api,
        `/webhooks/${hook.id}/deliveries/${dead.id}/redeliver`,
        { method: 'POST' },
      );
      assert.equal(again.status, 202);
      assert.equal(again.body.status, 'pending');
      const [arrived] = await receiver.waitForDelivered(1);
      assert.equal(arrived?.headers['x-kernel-ledger-delivery'], dead.id);
      const [done] = await waitFor(async () => {
        const items = await deliveries(failing, hook.id, 'delivered');
        return items.length > 0 ? items : undefined;
      });
      assert.equal(done?.attemptLog.length, 4, 'the log keeps the failed attempts too');
    } finally {
      await receiver.down();
    }
  });

  test('a hanging receiver delays neither other subscribers nor snapshots', async () => {
    const slow = await WebhookReceiver.start();
    const fast = await WebhookReceiver.start();
    slow.mode = 'hang';
    try {
      await subscribe(agent, { url: slow.url(), events: ['kernel.event'] });
      await subscribe(agent, { url: fast.url(), events: ['kernel.event'] });
      const started = Date.now();
      await kernelPrints(agent, log, tableFull(), tableFull());
      await fast.waitForDelivered(2, 3000);
      assert.ok(Date.now() - started < 2000, `fast receiver waited ${Date.now() - started} ms`);
      await slow.waitForRequests(1);
      assert.equal(slow.requests.length, 1, 'one delivery at a time per subscription');
      const snapshotStarted = Date.now();
      const snapshot = await httpJson(agent.api, '/snapshots', { method: 'POST' });
      assert.equal(snapshot.status, 201);
      assert.ok(Date.now() - snapshotStarted < 2000, 'the snapshot did not wait for the slow receiver');
    } finally {
      await slow.down();
      await fast.down();
    }
  });

  test('filters route events; setting.changed raised together is one delivery, others one each', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      const snapshot = async (): Promise<void> =>
        assert.equal((await httpJson(agent.api, '/snapshots', { method: 'POST' })).status, 201);
      proc.set({
        'net.netfilter.nf_conntrack_max': '262144',
        'fs.aio-max-nr': '65536',
        'net.core.somaxconn': '4096',
      });
      await snapshot();
      await subscribe(agent, {
        url: receiver.url(),
        events: ['setting.changed', 'kernel.event'],
        keys: ['net.netfilter.*', 'fs.aio-max-nr'],
        namespaces: ['host', 'api-*'],
      });
      // One snapshot changes three keys (somaxconn is not subscribed to); the kernel then prints three lines,
      // whose keys are nf_conntrack_max (subscribed), tcp_max_orphans (not) and nf_conntrack_expect_max.
      proc.set({
        'net.netfilter.nf_conntrack_max': '524288',
        'fs.aio-max-nr': '1048576',
        'net.core.somaxconn': '8192',
      });
      await snapshot();
      await kernelPrints(
        agent,
        log,
        tableFull(),
        'TCP: too many orphaned sockets',
        'nf_conntrack: expectation table full',
      );
      const received = await receiver.waitForDelivered(3);
      await sleep(200);
      assert.equal(receiver.delivered.length, 3);
      const envelopes = received.map(envelopeOf);
      const changed = envelopes.filter((e) => e.type === 'setting.changed');
      assert.equal(changed.length, 1, 'one batched setting.changed delivery');
      assert.deepEqual(
        changed[0]?.events.map((e) => e.data.key),
        // in the order the snapshot read them
        ['fs.aio-max-nr', 'net.netfilter.nf_conntrack_max'],
      );
      const kernel = envelopes.filter((e) => e.type === 'kernel.event');
      assert.deepEqual(
        kernel.map((e) => e.events.length),
        [1, 1],
      );
      assert.deepEqual(kernel.map((e) => kernelEventOf(e.events[0]?.data).key).sort(), [
        'net.netfilter.nf_conntrack_expect_max',
        'net.netfilter.nf_conntrack_max',
      ]);
    } finally {
      await receiver.down();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifySignature } from '../../src/domain/webhooks/sign-payload.js';
import { KmsgService } from '../../src/kernel-events/kmsg.service.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { FakeProcRoot, isolatedEnv } from '../helpers/fake-proc-root.js';
import { httpJson } from '../helpers/http-json.js';
import { conntrackTableFull, KernelLogFile, pollUntilStored } from '../helpers/kernel-log-file.js';
import {
  type DeliveryEnvelope,
  envelopeOf,
  type ReceivedRequest,
  WebhookReceiver,
} from '../helpers/webhook-receiver.js';
import { dispatcherIdle } from '../helpers/dispatcher-idle.js';
import { type Agent, startAgent } from '../helpers/start-agent.js';

const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Deliveries of `type` the receiver took, each checked against the subscription's secret. */
function signedOfType(
  requests: readonly ReceivedRequest[],
  secret: string,
  type: string,
): DeliveryEnvelope[] {
  const ofType = requests.filter((r) => r.headers['x-kernel-ledger-event'] === type);
  for (const r of ofType) {
    assert.ok(
      verifySignature(
        secret,
        Number(r.headers['x-kernel-ledger-timestamp']),
        r.body,
        String(r.headers['x-kernel-ledger-signature']),
      ),
      'signed with the subscription secret',
    );
  }
  return ofType.map(envelopeOf);
}

describe('the event seam: kernel.event and incident.opened from their real producers', () => {
  const db = tempDatabase('webhooks-events');
  const proc = new FakeProcRoot({ 'kernel.ostype': 'Linux' });
  const log = new KernelLogFile(db.dir, proc.dir);
  let agent: Agent;
  let receiver: WebhookReceiver;
  let secret: string;

  before(async () => {
    agent = await startAgent({ env: { ...isolatedEnv(proc.dir, db.dbPath), ...log.env }, webhooks: {} });
    receiver = await WebhookReceiver.start();
    // The default subscription: setting.changed, limit.saturation, kernel.event, incident.opened.
    const created = await httpJson<{ id: number; secret: string; events: string[] }>(
      agent.api,
      '/webhooks',
      post({ url: receiver.url() }),
    );
    assert.equal(created.status, 201);
    assert.ok(
      created.body.events.includes('kernel.event') && created.body.events.includes('incident.opened'),
    );
    secret = created.body.secret;
  });

  after(async () => {
    await agent?.close();
    await receiver?.down();
    db.cleanup();
    proc.cleanup();
  });

  test('POST /incidents → one signed incident.opened naming the incident', async () => {
    const created = await httpJson<{ id: number }>(
      agent.api,
      '/incidents',
      post({ title: 'checkout 502s', startedAt: '-5m', symptoms: ['502 from the edge'] }),
    );
    assert.equal(created.status, 201);
    await receiver.waitForDelivered(1);
    await dispatcherIdle(agent);
    const [opened, ...more] = signedOfType(receiver.delivered, secret, 'incident.opened');
    assert.equal(more.length, 0);
    assert.equal(opened?.events.length, 1);
    const data = opened?.events[0]?.data as { incident: Record<string, unknown>; namespace: unknown };
    assert.equal(opened?.events[0]?.type, 'incident.opened');
    assert.equal(data.incident.id, created.body.id);
    assert.equal(data.incident.title, 'checkout 502s');
    assert.equal(data.incident.source, 'api');
    assert.deepEqual(data.incident.symptoms, ['502 from the edge']);
    assert.equal(data.namespace, null);
  });

  test('a stored conntrack burst → one kernel.event, and the incident it opens → one incident.opened', async () => {
    const before = receiver.delivered.length;
    const netns = 4026538111;
    log.append(conntrackTableFull(netns), conntrackTableFull(netns), conntrackTableFull(netns));
    const [stored] = await pollUntilStored(agent.app.get(KmsgService), 1);
    assert.ok(stored?.created);
    await receiver.waitForDelivered(before + 2);
    await dispatcherIdle(agent);
    const [kernel, ...moreKernel] = signedOfType(receiver.delivered, secret, 'kernel.event');
    assert.equal(moreKernel.length, 0, 'one kernel.event per stored burst');
    const event = kernel?.events[0]?.data as { kernelEvent: Record<string, unknown>; namespace: unknown };
    assert.deepEqual(event.kernelEvent, {
      id: stored.id,
      signature: 'conntrack-table-full',
      key: 'net.netfilter.nf_conntrack_max',
      count: 3,
      suppressed: 0,
      firstAt: new Date(stored.firstAt).toISOString(),
      lastAt: new Date(stored.lastAt).toISOString(),
      netInode: netns,
      sampleLine: conntrackTableFull(netns),
    });
    assert.equal(event.namespace, null, 'no namespace set owns that netns');
    const auto = signedOfType(receiver.delivered, secret, 'incident.opened').find(
      (e) => (e.events[0]?.data as { incident: { source: string } }).incident.source === 'kernel-event',
    );
    const incident = (auto?.events[0]?.data as { incident: Record<string, unknown> }).incident;
    assert.equal(incident.signature, 'conntrack-table-full');
    assert.equal(incident.key, 'net.netfilter.nf_conntrack_max');
    assert.deepEqual(incident.symptoms, [conntrackTableFull(netns)]);
    const listed = await httpJson<{ items: { id: number; source: string }[] }>(agent.api, '/incidents');
    assert.ok(listed.body.items.some((i) => i.id === incident.id && i.source === 'kernel-event'));
  });

  test('the burst growing raises no second kernel.event', async () => {
    const before = receiver.requests.length;
    log.append(conntrackTableFull(4026538111));
    const [grown] = await pollUntilStored(agent.app.get(KmsgService), 1);
    assert.equal(grown?.created, false);
    assert.equal(grown?.count, 4);
    await sleep(300);
    await dispatcherIdle(agent);
    assert.equal(receiver.requests.length, before);
  });
});

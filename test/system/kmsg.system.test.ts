import assert from 'node:assert/strict';
import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { KernelEventPage, KernelEventView } from '../../src/api/kernel-events/kernel-event.views.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { createTrackedFlows, waitOutNetRatelimitWindow } from '../helpers/conntrack-traffic.js';
import { httpJson, waitFor } from '../helpers/http-json.js';
import { type KmsgAgent, startKmsgAgent } from '../helpers/kmsg-agent.js';
import { NetnsScope } from '../helpers/netns-scope.js';
import { needsRoot } from '../helpers/privileges.js';
import { envelopeOf, type ReceivedRequest, WebhookReceiver } from '../helpers/webhook-receiver.js';
import { verifySignature } from '../../src/domain/webhooks/sign-payload.js';

const CONNTRACK_MAX = '/proc/sys/net/netfilter/nf_conntrack_max';
const LOW_MAX = 64;

/** Sets the host's nf_conntrack_max low only while `work` runs; the saved value is written back whatever happens. */
async function withLowConntrackMax(work: () => Promise<void>): Promise<void> {
  const saved = readFileSync(CONNTRACK_MAX, 'utf8').trim();
  if (Number(saved) <= LOW_MAX)
    throw new Error(`nf_conntrack_max is already ${saved}: another test holds it low`);
  try {
    writeFileSync(CONNTRACK_MAX, String(LOW_MAX));
    await work();
  } finally {
    writeFileSync(CONNTRACK_MAX, saved);
    assert.equal(readFileSync(CONNTRACK_MAX, 'utf8').trim(), saved, 'nf_conntrack_max restored');
  }
}

/** More new flows than the max: the kernel drops the 65th packet (the sender sees EPERM and stops there). */
async function overflowConntrack(netnsName: string, count: number): Promise<void> {
  try {
    await createTrackedFlows(netnsName, count);
  } catch (error) {
    if (!/send EPERM/.test((error as Error).message)) throw error;
  }
}

describe('kernel log follower on the real /dev/kmsg', () => {
  const db = tempDatabase('kmsg-system');
  const netns = new NetnsScope();
  let agent: KmsgAgent | undefined;
  after(async () => {
    await agent?.close();
    await netns.cleanup();
    db.cleanup();
  });

  const rows = (): unknown[] => {
    const file = new Database(db.dbPath, { readonly: true });
    try {
      return file.prepare('SELECT * FROM kernel_events ORDER BY id').all();
    } finally {
      file.close();
    }
  };
  const storedCursor = (): { boot_id: string; last_seq: number } | undefined => {
    const file = new Database(db.dbPath, { readonly: true });
    try {
      return file.prepare('SELECT boot_id, last_seq FROM kmsg_cursor').get() as never;
    } finally {
      file.close();
    }
  };

  test('a real "table full in netns" storm becomes one coalesced event on that netns', async (t) => {
    if (!needsRoot(t)) return;
    accessSync('/dev/kmsg', constants.R_OK);
    const name = await netns.add('kmsg');
    const inode = statSync(path.join('/run/netns', name)).ino;
    agent = await startKmsgAgent({ dbPath: db.dbPath });
    const { kmsg, baseUrl } = agent;
    await kmsg.pollOnce(); // first run: start at the end of the buffer
    assert.equal(kmsg.status().readable, true);
    assert.equal((await httpJson(baseUrl, '/api/v1/snapshots', { method: 'POST' })).status, 201);

    let event: KernelEventView | undefined;
    // net_ratelimit is global: if another storm used up its burst, lines wait for the next 5 s window.
    for (let attempt = 1; attempt <= 3 && !event; attempt++) {
      if (attempt > 1) await waitOutNetRatelimitWindow();
      await withLowConntrackMax(() => overflowConntrack(name, 200 * attempt));
      event = await waitFor(
        async () => {
          await kmsg.pollOnce();
          const page = await httpJson<KernelEventPage>(
            baseUrl,
            '/api/v1/kernel-events?signature=conntrack-table-full',
          );
          return page.body.items.find((i) => i.netInode === inode);
        },
        3_000,
        'a conntrack-table-full event',
      ).catch(() => undefined);
    }
    assert.ok(event, `no event for netns inode ${inode}`);
    assert.equal(event.key, 'net.netfilter.nf_conntrack_max');
    assert.ok(event.count >= 1);
    assert.equal(
      event.sampleLine,
      `nf_conntrack: nf_conntrack: table full in netns ${inode}, dropping packet`,
    );
    assert.match(event.namespace ?? '', new RegExp(`^net:${inode}/`));
    assert.deepEqual(event.owners, [name]);
    assert.ok(Math.abs(Date.parse(event.firstAt) - Date.now()) < 30_000, `firstAt ${event.firstAt} is now`);
    const byName = await httpJson<KernelEventPage>(baseUrl, `/api/v1/kernel-events?namespace=${name}`);
    assert.deepEqual(
      byName.body.items.map((i) => i.id),
      [event.id],
    );
    t.diagnostic(`${event.count} lines (${event.suppressed} suppressed) → 1 row, netns ${inode}`);
  });

  test('a restart in the same boot resumes after the stored sequence number: no duplicates', async (t) => {
    if (!needsRoot(t)) return;
    agent ??= await startKmsgAgent({ dbPath: db.dbPath });
    await agent.kmsg.pollOnce();
    const before = rows();
    const cursor = storedCursor();
    assert.ok(cursor && cursor.boot_id === readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    await agent.close();

    agent = await startKmsgAgent({ dbPath: db.dbPath });
    await agent.kmsg.pollOnce();
    assert.deepEqual(rows(), before, 'stop, nothing written, start: same rows');
    await agent.close();

    const marker = `kl-test: resume marker ${process.pid}-${Date.now()}`;
    writeFileSync('/dev/kmsg', `<14>${marker}\n`);
    writeFileSync('/dev/kmsg', `<14>${marker} (2)\n`);
    agent = await startKmsgAgent({ dbPath: db.dbPath });
    await agent.kmsg.pollOnce();
    const moved = storedCursor();
    assert.ok(
      moved && moved.last_seq >= cursor.last_seq + 2,
      `cursor ${cursor.last_seq} → ${moved?.last_seq}`,
    );
    assert.equal(agent.kmsg.status().lastSeq, moved.last_seq);
    const after = rows() as { signature: string }[];
    assert.deepEqual(after.slice(0, before.length), before, 'earlier rows untouched');
    assert.ok(after.every((r) => r.signature !== undefined));
    assert.ok(!JSON.stringify(after).includes(marker), 'user-facility lines are not stored');
  });
});

describe('a real conntrack "table full" storm reaches a webhook receiver as kernel.event', () => {
  const db = tempDatabase('kmsg-webhook-system');
  const netns = new NetnsScope();
  let agent: KmsgAgent | undefined;
  let receiver: WebhookReceiver | undefined;
  after(async () => {
    await agent?.close();
    await receiver?.down();
    await netns.cleanup();
    db.cleanup();
  });

  test('one signed kernel.event naming the netns set, its owner, signature, count and key', async (t) => {
    if (!needsRoot(t)) return;
    accessSync('/dev/kmsg', constants.R_OK);
    const name = await netns.add('kmsg-hook');
    const inode = statSync(path.join('/run/netns', name)).ino;
    agent = await startKmsgAgent({ dbPath: db.dbPath });
    receiver = await WebhookReceiver.start();
    const { kmsg, baseUrl } = agent;
    // The default subscription (kernel.event and incident.opened among its events).
    const hook = await httpJson<{ secret: string }>(baseUrl, '/api/v1/webhooks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url() }),
    });
    assert.equal(hook.status, 201);
    await kmsg.pollOnce(); // first run: start at the end of the buffer
    assert.equal((await httpJson(baseUrl, '/api/v1/snapshots', { method: 'POST' })).status, 201);

    const forThisNetns = (): ReceivedRequest | undefined =>
      receiver?.delivered.find(
        (r) =>
          r.headers['x-kernel-ledger-event'] === 'kernel.event' &&
          envelopeOf(r).events.some((e) => kernelEventOf(e.data).netInode === inode),
      );
    let delivered: ReceivedRequest | undefined;
    // net_ratelimit is global: if another storm used up its burst, lines wait for the next 5 s window.
    for (let attempt = 1; attempt <= 3 && !delivered; attempt++) {
      if (attempt > 1) await waitOutNetRatelimitWindow();
      await withLowConntrackMax(() => overflowConntrack(name, 200 * attempt));
      delivered = await waitFor(
        async () => {
          await kmsg.pollOnce();
          return forThisNetns();
        },
        5_000,
        'a kernel.event delivery for the netns',
      ).catch(() => undefined);
    }
    assert.ok(delivered, `no kernel.event delivered for netns inode ${inode}`);
    assert.ok(
      verifySignature(
        hook.body.secret,
        Number(delivered.headers['x-kernel-ledger-timestamp']),
        delivered.body,
        String(delivered.headers['x-kernel-ledger-signature']),
      ),
      'signed with the subscription secret',
    );
    const [event, ...others] = envelopeOf(delivered).events.filter(
      (e) => kernelEventOf(e.data).netInode === inode,
    );
    assert.equal(others.length, 0, 'one kernel.event per stored burst');
    const data = event?.data as { kernelEvent: Record<string, unknown>; namespace: Record<string, unknown> };
    assert.equal(data.kernelEvent.signature, 'conntrack-table-full');
    assert.equal(data.kernelEvent.key, 'net.netfilter.nf_conntrack_max');
    assert.ok(Number(data.kernelEvent.count) >= 1);
    assert.equal(
      data.kernelEvent.sampleLine,
      `nf_conntrack: nf_conntrack: table full in netns ${inode}, dropping packet`,
    );
    assert.match(String(data.namespace.identity), new RegExp(`^net:${inode}/`));
    assert.deepEqual(data.namespace.owners, [{ kind: 'netns', ref: name, name, image: null }]);
    const page = await httpJson<KernelEventPage>(baseUrl, `/api/v1/kernel-events?namespace=${name}`);
    assert.deepEqual(
      page.body.items.map((i) => i.id),
      [data.kernelEvent.id],
    );
    t.diagnostic(`kernel.event ${String(data.kernelEvent.id)}: ${String(data.kernelEvent.count)} lines`);
  });
});

function kernelEventOf(data: Record<string, unknown>): { netInode?: number } {
  return (data.kernelEvent ?? {}) as { netInode?: number };
}

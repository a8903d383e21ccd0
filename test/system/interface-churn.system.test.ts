import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { type RunningAgent, startAgent, tempDatabase } from '../helpers/agent-process.js';
import {
  DockerScope,
  dockerAvailable,
  ensureTestImage,
  removeContainers,
  runCommand,
} from '../helpers/docker-engine.js';
import { httpJson, waitForStartupSnapshot } from '../helpers/http-json.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * Container churn on the real host: veths appear and vanish between two snapshots while one real change
 * happens on a lasting device (a veth pair this test made in the host netns, deleted in finally).
 * Every diff must show one entry per device, the raw keys on request, and one setting.changed webhook.
 */

interface DiffEntry {
  key: string;
  kind: string;
  before: string | null;
  after: string | null;
}
interface DeviceEntry {
  interface: string;
  kind: string;
  keyCount: number;
  keys: { key: string }[];
}

const post = (body?: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

async function hostVeths(): Promise<Set<string>> {
  const { stdout } = await runCommand('ip', ['-o', 'link', 'show', 'type', 'veth']);
  return new Set([...stdout.matchAll(/^\d+: ([^:@]+)[@:]/gm)].map((m) => m[1] ?? ''));
}

interface SnapshotChange {
  namespace: string;
  key: string;
  kind: string;
  old: string | null;
  new: string | null;
}
interface SnapshotDevice {
  namespace: string;
  interface: string;
  kind: string;
  keyCount: number;
  keys: SnapshotChange[];
}
interface SnapshotDetail {
  id: number;
  changeCount: number;
  changes: SnapshotChange[];
  interfaces: SnapshotDevice[];
  nextCursor: string | null;
}

async function identityOf(agent: RunningAgent, container: string): Promise<string> {
  const set = await httpJson<{ identity: string }>(agent.baseUrl, `/api/v1/namespaces/${container}`);
  assert.equal(set.status, 200, JSON.stringify(set.body));
  return set.body.identity;
}

async function snapshot(agent: RunningAgent): Promise<SnapshotDetail> {
  const taken = await httpJson<SnapshotDetail>(agent.baseUrl, '/api/v1/snapshots', post());
  assert.equal(taken.status, 201, JSON.stringify(taken.body));
  return taken.body;
}

/** Every page of a snapshot's changes, with the devices of the first page. */
async function snapshotPages(agent: RunningAgent, id: number, mode: string): Promise<SnapshotDetail> {
  const first = await httpJson<SnapshotDetail>(agent.baseUrl, `/api/v1/snapshots/${id}?limit=1000${mode}`);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const changes = [...first.body.changes];
  for (let cursor = first.body.nextCursor; cursor !== null;) {
    const next = await httpJson<SnapshotDetail>(
      agent.baseUrl,
      `/api/v1/snapshots/${id}?limit=1000&cursor=${cursor}${mode}`,
    );
    assert.equal(next.status, 200);
    assert.deepEqual(next.body.interfaces, [], 'devices come with the first page only');
    changes.push(...next.body.changes);
    cursor = next.body.nextCursor;
  }
  return { ...first.body, changes };
}

test('container churn is one entry per veth in every diff and one webhook for one real change', async (t) => {
  if (!(await dockerAvailable(t))) return;
  await ensureTestImage();
  const containers = new DockerScope();
  const db = tempDatabase('interface-churn');
  const receiver = await WebhookReceiver.start();
  const dummy = `kl${process.pid % 100000}x`;
  let agent: RunningAgent | undefined;
  try {
    await runCommand('ip', ['link', 'add', dummy, 'type', 'veth', 'peer', 'name', `${dummy}p`]);
    const leaving = await containers.run([], { label: 'leaving' });
    const vethsBefore = await hostVeths();
    agent = await startAgent({ DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' });
    await waitForStartupSnapshot(agent.baseUrl);
    const hook = await httpJson<{ id: number }>(
      agent.baseUrl,
      '/api/v1/webhooks',
      post({ url: receiver.url(), events: ['setting.changed'] }),
    );
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    const exported = await httpJson(agent.baseUrl, '/api/v1/export');
    assert.equal(exported.status, 200);
    const imported = await httpJson(
      agent.baseUrl,
      '/api/v1/baselines?name=before-churn',
      post(exported.body),
    );
    assert.equal(imported.status, 201, JSON.stringify(imported.body));
    const leavingSet = await identityOf(agent, leaving.name);
    const from = Date.now();

    const arrivals = [
      await containers.run([], { label: 'new-a' }),
      await containers.run([], { label: 'new-b' }),
    ];
    await removeContainers(leaving.name);
    const arpIgnore = `/proc/sys/net/ipv4/conf/${dummy}/arp_ignore`;
    writeFileSync(arpIgnore, readFileSync(arpIgnore, 'utf8').trim() === '1' ? '2' : '1');
    writeFileSync(`/proc/sys/net/ipv6/conf/${dummy}/hop_limit`, '33');
    const vethsAfter = await hostVeths();
    const appeared = [...vethsAfter].filter((v) => !vethsBefore.has(v)).sort();
    const vanished = [...vethsBefore].filter((v) => !vethsAfter.has(v)).sort();
    assert.equal(appeared.length, 2, `two veths came: ${[...vethsAfter].join(' ')}`);
    assert.equal(vanished.length, 1, 'the removed container took its veth');
    const churn = await snapshot(agent);

    // The snapshot's own changes: one entry per set and device, its other changes listed as keys.
    const recorded = await snapshotPages(agent, churn.id, '');
    assert.deepEqual(
      recorded.interfaces.map((i) => [i.namespace, i.interface, i.kind]),
      churn.interfaces.map((i) => [i.namespace, i.interface, i.kind]),
      'POST answers the same devices as GET',
    );
    const hostDevices = new Map(
      recorded.interfaces.filter((i) => i.namespace === 'host').map((i) => [i.interface, i]),
    );
    for (const veth of appeared) assert.equal(hostDevices.get(veth)?.kind, 'appeared', veth);
    for (const veth of vanished) assert.equal(hostDevices.get(veth)?.kind, 'vanished', veth);
    for (const veth of [...appeared, ...vanished]) {
      assert.ok((hostDevices.get(veth)?.keyCount ?? 0) >= 100, `${veth}: its keys in one entry`);
      assert.deepEqual(hostDevices.get(veth)?.keys, [], `${veth} came or went whole`);
    }
    assert.deepEqual(
      hostDevices.get(dummy)?.keys.map((k) => [k.key, k.kind]),
      [
        [`net.ipv4.conf.${dummy}.arp_ignore`, 'changed'],
        [`net.ipv6.conf.${dummy}.hop_limit`, 'changed'],
      ],
    );
    for (const arrival of arrivals) {
      const set = await identityOf(agent, arrival.name);
      const eth0 = recorded.interfaces.find((i) => i.namespace === set && i.interface === 'eth0');
      assert.equal(eth0?.kind, 'appeared', `${arrival.name}: its eth0 appeared with its set`);
    }
    const leftEth0 = recorded.interfaces.find((i) => i.namespace === leavingSet && i.interface === 'eth0');
    assert.equal(leftEth0?.kind, 'vanished', 'the removed container took its eth0');
    const deviceKey = /^net\.(ipv4|ipv6|mpls)\.(conf|neigh)\.(?!all\.|default\.)[^.]+\.[^.]+$/;
    assert.deepEqual(
      recorded.changes.filter((c) => deviceKey.test(c.key)),
      [],
      'no device key outside its entry',
    );
    const folded = recorded.interfaces.reduce((sum, i) => sum + i.keyCount, 0);
    assert.equal(recorded.changes.length + folded, churn.changeCount, 'every change counted once');

    // The snapshot's raw keys on request: every change, none folded, an added key never null.
    const rawSnapshot = await snapshotPages(agent, churn.id, '&interfaces=raw');
    assert.deepEqual(rawSnapshot.interfaces, []);
    assert.equal(rawSnapshot.changes.length, churn.changeCount);
    const rawVeth = appeared[0] ?? '';
    const rawVethKeys = rawSnapshot.changes.filter(
      (c) => c.namespace === 'host' && c.key.includes(`.${rawVeth}.`),
    );
    assert.equal(rawVethKeys.length, hostDevices.get(rawVeth)?.keyCount);
    assert.ok(rawVethKeys.every((c) => c.kind === 'added' && c.new !== null && c.old === null));
    assert.deepEqual(
      rawSnapshot.changes.filter((c) => c.kind === 'added' && c.new === null),
      [],
      'no added key without a value',
    );

    // /diff: one entry per device, no per-device key among the plain entries.
    const diff = await httpJson<{ entries: DiffEntry[]; interfaces: DeviceEntry[] }>(
      agent.baseUrl,
      `/api/v1/diff?from=${from}&namespace=host&limit=1000`,
    );
    assert.equal(diff.status, 200, JSON.stringify(diff.body));
    const devices = new Map(diff.body.interfaces.map((i) => [i.interface, i]));
    for (const veth of appeared) assert.equal(devices.get(veth)?.kind, 'appeared', veth);
    for (const veth of vanished) assert.equal(devices.get(veth)?.kind, 'vanished', veth);
    for (const veth of [...appeared, ...vanished]) {
      assert.ok((devices.get(veth)?.keyCount ?? 0) >= 100, `${veth} carries its ~130 keys in one entry`);
    }
    assert.deepEqual(
      devices.get(dummy)?.keys.map((k) => k.key),
      [`net.ipv4.conf.${dummy}.arp_ignore`, `net.ipv6.conf.${dummy}.hop_limit`],
    );
    const perDeviceKeys = diff.body.entries.filter((e) => /^net\.ipv[46]\.(conf|neigh)\.veth/.test(e.key));
    assert.deepEqual(perDeviceKeys, [], 'no veth key outside its device entry');
    assert.ok(diff.body.entries.length < 20, `a handful of plain keys: ${JSON.stringify(diff.body.entries)}`);

    // The raw keys on request; an added key carries its value, never null.
    const raw = await httpJson<{ entries: DiffEntry[]; interfaces: DeviceEntry[] }>(
      agent.baseUrl,
      `/api/v1/diff?from=${from}&namespace=host&limit=1000&interfaces=raw`,
    );
    assert.equal(raw.status, 200);
    assert.deepEqual(raw.body.interfaces, []);
    const newVeth = appeared[0] ?? '';
    const newKeys = raw.body.entries.filter((e) => e.key.includes(`.${newVeth}.`));
    assert.equal(newKeys.length, devices.get(newVeth)?.keyCount);
    assert.ok(newKeys.some((e) => e.key === `net.ipv4.conf.${newVeth}.forwarding`));
    const nullAdded = raw.body.entries.filter((e) => e.kind === 'added' && e.after === null);
    assert.deepEqual(nullAdded, [], 'no added key without a value');

    // Host vs baseline taken before the churn, and host vs a new container.
    const baseline = await httpJson<{ entries: { key: string }[]; interfaces: DeviceEntry[] }>(
      agent.baseUrl,
      '/api/v1/diff/baseline/before-churn',
    );
    assert.equal(baseline.status, 200, JSON.stringify(baseline.body));
    const againstBaseline = new Map(baseline.body.interfaces.map((i) => [i.interface, i.kind]));
    for (const veth of appeared) assert.equal(againstBaseline.get(veth), 'only-here');
    for (const veth of vanished) assert.equal(againstBaseline.get(veth), 'only-baseline');
    assert.equal(baseline.body.entries.filter((e) => /\.veth/.test(e.key)).length, 0);

    const [arrival] = arrivals;
    const sets = await httpJson<{ differing: { key: string }[]; interfaces: DeviceEntry[] }>(
      agent.baseUrl,
      `/api/v1/diff/namespaces?a=host&b=${arrival?.name ?? ''}`,
    );
    assert.equal(sets.status, 200, JSON.stringify(sets.body));
    const setDevices = new Map(sets.body.interfaces.map((i) => [i.interface, i.kind]));
    for (const veth of appeared) assert.equal(setDevices.get(veth), 'only-a', `${veth} is the host's`);
    assert.equal(setDevices.get(dummy), 'only-a');
    const setKeys = sets.body.differing.filter((e) =>
      /^net\.ipv[46]\.(conf|neigh)\.(?!all\.|default\.)/.test(e.key),
    );
    assert.deepEqual(setKeys, [], 'device keys only inside device entries');

    // One real change on the host: one setting.changed, for the dummy device, with its two keys.
    const deliveries = await httpJson<{ items: { event: string; eventCount: number }[] }>(
      agent.baseUrl,
      `/api/v1/webhooks/${hook.body.id}/deliveries`,
    );
    assert.equal(deliveries.status, 200);
    const events = deliveries.body.items
      .filter((d) => d.event === 'setting.changed')
      .reduce((sum, d) => sum + d.eventCount, 0);
    assert.equal(events, 1, JSON.stringify(deliveries.body.items));
    const [delivered] = await receiver.waitForDelivered(1);
    const body = JSON.parse(delivered?.body ?? '{}') as { events: { data: Record<string, unknown> }[] };
    assert.equal(body.events[0]?.data.interface, dummy);
  } finally {
    await agent?.stop();
    await containers.cleanup();
    await runCommand('ip', ['link', 'del', dummy]).catch(() => undefined);
    await receiver.down();
    db.cleanup();
  }
});

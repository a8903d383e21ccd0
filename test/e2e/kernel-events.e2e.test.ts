import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { KernelEventPage } from '../../src/api/kernel-events/kernel-event.views.js';
import { DomainEvents } from '../../src/events/domain-events.bus.js';
import type { StoredKernelEvent } from '../../src/domain/kernel-events/stored-kernel-event.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { httpJson, waitFor } from '../helpers/http-json.js';
import { type KmsgAgent, startKmsgAgent } from '../helpers/kmsg-agent.js';
import { repoPath } from '../helpers/repo-path.js';

const UPTIME_S = 2010;
const NETNS = 4026532246;

describe('kernel events from a saved /dev/kmsg capture, over real HTTP and real migrations', () => {
  const db = tempDatabase('kernel-events');
  const kmsgPath = path.join(db.dir, 'kmsg');
  const procRoot = path.join(db.dir, 'proc');
  mkdirSync(path.join(procRoot, 'sys', 'kernel', 'random'), { recursive: true });
  writeFileSync(path.join(procRoot, 'uptime'), `${UPTIME_S}.00 100.00\n`);
  writeFileSync(path.join(procRoot, 'sys', 'kernel', 'osrelease'), '6.18.44-fc-v782\n');
  const setBoot = (id: string): void =>
    writeFileSync(path.join(procRoot, 'sys', 'kernel', 'random', 'boot_id'), `${id}\n`);
  copyFileSync(repoPath('test', 'fixtures', 'kmsg', 'boot-6.18.txt'), kmsgPath);
  setBoot('boot-a');
  let agent: KmsgAgent | undefined;
  after(async () => {
    await agent?.close();
    db.cleanup();
  });

  const start = async (): Promise<KmsgAgent> => {
    await agent?.close();
    agent = await startKmsgAgent({ dbPath: db.dbPath, kmsgPath, procRoot });
    return agent;
  };
  const rows = (): { signature: string; count: number; boot_id: string }[] => {
    const file = new Database(db.dbPath, { readonly: true });
    try {
      return file.prepare('SELECT signature, count, boot_id FROM kernel_events ORDER BY id').all() as never;
    } finally {
      file.close();
    }
  };
  const cursor = (): unknown => {
    const file = new Database(db.dbPath, { readonly: true });
    try {
      return file.prepare('SELECT boot_id, last_seq FROM kmsg_cursor').get();
    } finally {
      file.close();
    }
  };
  /** A kernel-facility record timed `secondsAgo` before "now" of the fake boot. */
  const append = (seq: number, message: string, secondsAgo = 1): void =>
    appendFileSync(kmsgPath, `4,${seq},${(UPTIME_S - secondsAgo) * 1_000_000},-;${message}\n`);

  test('first run starts at the end of the buffer: nothing stored, cursor at the last record', async () => {
    const { kmsg } = await start();
    assert.deepEqual(await kmsg.pollOnce(), []);
    assert.deepEqual(rows(), []);
    assert.deepEqual(cursor(), { boot_id: 'boot-a', last_seq: 798 });
    assert.deepEqual(kmsg.status(), { readable: true, message: null, lastSeq: 798 });
  });

  test('a new matching record is stored once and announced to listeners after commit', async () => {
    const { kmsg } = agent ?? (await start());
    const heard: StoredKernelEvent[] = [];
    agent?.app
      .get(DomainEvents)
      .onCommit('kernel-events.stored', 'test', (event) => void heard.push(...event.events));
    append(799, 'TCP: too many orphaned sockets', 2);
    append(800, 'IPv4: martian source 10.0.0.1 from 10.0.0.2, on dev eth0', 2);
    const stored = await kmsg.pollOnce();
    assert.deepEqual(
      stored.map((e) => [e.signature, e.key, e.count, e.created]),
      [['tcp-too-many-orphans', 'net.ipv4.tcp_max_orphans', 1, true]],
    );
    assert.deepEqual(heard, stored);
    assert.deepEqual(cursor(), { boot_id: 'boot-a', last_seq: 800 });
  });

  test('after a restart in the same boot nothing is read twice and an open burst keeps growing', async () => {
    const { kmsg } = await start();
    assert.deepEqual(await kmsg.pollOnce(), []);
    assert.equal(rows().length, 1);
    append(801, 'TCP: too many orphaned sockets', 1);
    const stored = await kmsg.pollOnce();
    assert.deepEqual(
      stored.map((e) => [e.signature, e.count, e.created, e.firstSeq, e.lastSeq]),
      [['tcp-too-many-orphans', 2, false, 799, 801]],
    );
    assert.deepEqual(rows(), [{ signature: 'tcp-too-many-orphans', count: 2, boot_id: 'boot-a' }]);
  });

  test('a new boot reads the whole buffer: the real conntrack storm is one coalesced row', async () => {
    setBoot('boot-b');
    const { kmsg } = await start();
    await kmsg.pollOnce();
    // 20 printed lines; net_ratelimit's 126 suppressed are a host-wide row of their own, not added to it.
    assert.deepEqual(rows(), [
      { signature: 'tcp-too-many-orphans', count: 2, boot_id: 'boot-a' },
      { signature: 'conntrack-table-full', count: 20, boot_id: 'boot-b' },
      { signature: 'net-ratelimit-suppressed', count: 1, boot_id: 'boot-b' },
      { signature: 'tcp-too-many-orphans', count: 2, boot_id: 'boot-b' },
    ]);
  });

  test('GET /kernel-events filters by signature, time and namespace and answers 400 for bad input', async () => {
    const { baseUrl } = agent ?? (await start());
    const all = await httpJson<KernelEventPage>(baseUrl, '/api/v1/kernel-events');
    assert.equal(all.status, 200);
    assert.equal(all.body.items.length, 4);
    const limiter = all.body.items.find((i) => i.signature === 'net-ratelimit-suppressed');
    assert.deepEqual(
      [limiter?.count, limiter?.suppressed, limiter?.namespace, limiter?.netInode, limiter?.drops],
      [1, 126, null, null, null],
      'host-wide: no namespace',
    );
    const full = await httpJson<KernelEventPage>(
      baseUrl,
      '/api/v1/kernel-events?signature=conntrack-table-full&from=-1h',
    );
    const event = full.body.items[0];
    assert.ok(event && full.body.items.length === 1);
    assert.deepEqual(
      [event.key, event.netInode, event.namespace, event.owners, event.count, event.suppressed, event.drops],
      ['net.netfilter.nf_conntrack_max', NETNS, null, [], 20, 0, null],
    );
    assert.equal(
      event.sampleLine,
      `nf_conntrack: nf_conntrack: table full in netns ${NETNS}, dropping packet`,
    );
    assert.equal(Date.parse(event.lastAt) - Date.parse(event.firstAt), 2_008_487 - 1_969_359);
    const bad = await httpJson<{ message: string }>(baseUrl, '/api/v1/kernel-events?signature=table-full');
    assert.equal(bad.status, 400);
    assert.match(
      bad.body.message,
      /^signature: 'table-full' is not one of conntrack-table-full, .*hung-task/,
    );
    assert.equal((await httpJson(baseUrl, '/api/v1/kernel-events?from=yesterday')).status, 400);
    assert.equal((await httpJson(baseUrl, '/api/v1/kernel-events?limit=0')).status, 400);
    assert.equal((await httpJson(baseUrl, '/api/v1/kernel-events?namespace=nope')).status, 404);
    const future = await httpJson<KernelEventPage>(
      baseUrl,
      `/api/v1/kernel-events?from=${Date.now() + 3_600_000}`,
    );
    assert.deepEqual(future.body.items, []);

    // A snapshot sees the netns later: the event is attributed to it at read time.
    const file = new Database(db.dbPath);
    try {
      const at = Date.parse(event.firstAt);
      const id = file
        .prepare(
          `INSERT INTO namespaces (kind, identity, net_inode, ipc_inode, uts_inode, first_seen_at, last_seen_at)
                  VALUES ('netns', ?, ?, 1, 2, ?, ?) RETURNING id`,
        )
        .pluck()
        .get(`net:${NETNS}/ipc:1/uts:2`, NETNS, at + 5_000, at + 60_000) as number;
      file
        .prepare(
          `INSERT INTO owners (namespace_id, kind, ref, name, first_seen_at, last_seen_at) VALUES (?, 'netns', ?, ?, ?, ?)`,
        )
        .run(id, 'kl-e2e-ns', 'kl-e2e-ns', at + 5_000, at + 60_000);
    } finally {
      file.close();
    }
    const byNs = await httpJson<KernelEventPage>(baseUrl, '/api/v1/kernel-events?namespace=kl-e2e-ns');
    assert.deepEqual(
      byNs.body.items.map((i) => [i.signature, i.namespace, i.owners]),
      [['conntrack-table-full', `net:${NETNS}/ipc:1/uts:2`, ['kl-e2e-ns']]],
    );
  });

  test('with scheduling on, the follower polls by itself in the background', async () => {
    await agent?.close();
    agent = await startKmsgAgent({ dbPath: db.dbPath, kmsgPath, procRoot, schedule: true });
    const { kmsg } = agent;
    const status = await waitFor(
      async () => {
        const s = kmsg.status();
        return s.lastSeq === null ? undefined : s;
      },
      5_000,
      'the first background poll',
    );
    assert.deepEqual(status, { readable: true, message: null, lastSeq: 801 });
  });

  test('an unreadable device is reported by status() and polling goes on', async () => {
    await agent?.close();
    agent = await startKmsgAgent({ dbPath: db.dbPath, kmsgPath: path.join(db.dir, 'missing'), procRoot });
    assert.deepEqual(await agent.kmsg.pollOnce(), []);
    const status = agent.kmsg.status();
    assert.equal(status.readable, false);
    assert.match(status.message ?? '', /cannot read .*missing: ENOENT/);
    assert.deepEqual(await agent.kmsg.pollOnce(), []);
  });
});

import assert from 'node:assert/strict';
import { type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { KernelEventPage } from '../../src/api/kernel-events/kernel-event.views.js';
import type { LimitsResult } from '../../src/api/limits/limit.views.js';
import { KmsgService } from '../../src/kernel-events/kmsg.service.js';
import { tempDatabase } from '../helpers/agent-process.js';
import {
  createTrackedFlows,
  enableConntrack,
  waitOutNetRatelimitWindow,
} from '../helpers/conntrack-traffic.js';
import { httpJson, waitFor } from '../helpers/http-json.js';
import { NetnsScope, removeStaleTestNetns } from '../helpers/netns-scope.js';
import { needsRoot } from '../helpers/privileges.js';
import { type Agent, startAgent } from '../helpers/start-agent.js';

const KEY = 'net.ipv4.tcp_fin_timeout';

/** A listener on 127.0.0.1:<port> (one port of the netns's ephemeral range in use); prints "ready". */
const LISTENER = `
require('node:net').createServer().listen(Number(process.argv[1]), '127.0.0.1', () => process.stdout.write('ready\\n'));
setInterval(() => {}, 1000);
`;

interface Snapshot {
  id: number;
  takenAt: string;
  errors: { target?: string; source?: string; message: string }[];
  readMethods: Record<string, number>;
}
interface SetView {
  identity: string;
  endedAt: string | null;
  fullReadAt: string | null;
}
interface Interval {
  value: string;
  from: string;
  to: string | null;
  changedAfter: string | null;
}

async function snapshot(agent: Agent): Promise<Snapshot> {
  const taken = await httpJson<{ id: number }>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
  assert.equal(taken.status, 201, JSON.stringify(taken.body));
  const read = await httpJson<Snapshot>(agent.baseUrl, `/api/v1/snapshots/${taken.body.id}`);
  assert.equal(read.status, 200, JSON.stringify(read.body));
  return read.body;
}

async function setOf(agent: Agent, name: string): Promise<SetView> {
  const res = await httpJson<SetView>(agent.baseUrl, `/api/v1/namespaces/${encodeURIComponent(name)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

async function nonHostFullyReadAt(agent: Agent, takenAt: string): Promise<string[]> {
  const res = await httpJson<{ items: SetView[] }>(agent.baseUrl, '/api/v1/namespaces');
  assert.equal(res.status, 200);
  return res.body.items
    .filter((s) => s.identity !== 'host' && s.fullReadAt === takenAt)
    .map((s) => s.identity);
}

async function historyOf(agent: Agent, name: string): Promise<Interval[]> {
  const res = await httpJson<{ intervals: Interval[] }>(
    agent.baseUrl,
    `/api/v1/settings/${KEY}/history?namespace=${encodeURIComponent(name)}`,
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.intervals;
}

function mentions(s: Snapshot, identities: readonly string[]): boolean {
  return s.errors.some((e) => identities.some((id) => JSON.stringify(e).includes(id)));
}

async function readyOrThrow(child: ChildProcess, what: string): Promise<void> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${what} exited: ${output}`);
      return output.includes('ready') ? true : undefined;
    },
    15_000,
    what,
  );
}

/**
 * FULL_READS_PER_SNAPSHOT=1 with a few named netns: a new set is read in full at once; a setting changed inside a
 * set that was not due is seen at its next full read, its interval bounded by the set's previous full read (not by
 * the usage-only snapshots in between); its usage is recorded in the snapshots in between, paired with its last
 * known limit; nothing is reported removed, vanished or incomplete.
 */
test('rolling full reads: new sets at once, changes bounded by the previous full read, usage every snapshot', async (t) => {
  if (!needsRoot(t)) return;
  await removeStaleTestNetns();
  const scope = new NetnsScope();
  const db = tempDatabase('rolling-full-reads');
  let agent: Agent | undefined;
  try {
    const a = await scope.add('roll-a');
    const b = await scope.add('roll-b');
    const c = await scope.add('roll-c');
    for (const name of [a, b, c]) await scope.exec(name, ['ip', 'link', 'set', 'lo', 'up']);
    await scope.exec(a, ['sysctl', '-q', '-w', 'net.ipv4.ip_local_port_range=40000 40019']);
    const before = (await scope.exec(a, ['sysctl', '-n', KEY])).stdout.trim();
    const changed = before === '37' ? '38' : '37';
    scope.spawnIn(a, ['sleep', '600']); // a process inside: A's usage is read through /proc/PID/net

    agent = await startAgent({
      env: { DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600', FULL_READS_PER_SNAPSHOT: '1' },
      background: false,
    });
    const ids = [a, b, c];

    // Every set is new: all read in full at once, whatever the budget.
    const s0 = await snapshot(agent);
    for (const name of ids) assert.equal((await setOf(agent, name)).fullReadAt, s0.takenAt, name);
    assert.equal(s0.readMethods['usage-only'] ?? 0, 0, JSON.stringify(s0.readMethods));

    // Known sets: one full read a snapshot, the rest usage-only.
    const s1 = await snapshot(agent);
    assert.equal((await nonHostFullyReadAt(agent, s1.takenAt)).length, 1);
    assert.ok((s1.readMethods['usage-only'] ?? 0) >= 2, JSON.stringify(s1.readMethods));

    // A new set: read in full in its first snapshot; it spends the budget.
    const d = await scope.add('roll-d');
    ids.push(d);
    const s2 = await snapshot(agent);
    assert.equal((await setOf(agent, d)).fullReadAt, s2.takenAt, 'a new set is read in full at once');
    assert.deepEqual(await nonHostFullyReadAt(agent, s2.takenAt), [(await setOf(agent, d)).identity]);

    // Wait for A's full read, then change a setting inside A and use a port there.
    let taken: Snapshot[] = [s0, s1, s2];
    for (let i = 0; (await setOf(agent, a)).fullReadAt !== taken.at(-1)?.takenAt; i += 1) {
      assert.ok(i < 30, 'A is read in full within 30 snapshots');
      taken.push(await snapshot(agent));
    }
    const firstFull = taken.at(-1)?.takenAt ?? '';
    taken = [];
    await scope.exec(a, ['sysctl', '-q', '-w', `${KEY}=${changed}`]);
    await readyOrThrow(scope.spawnIn(a, [process.execPath, '-e', LISTENER, '40005']), 'the listener in A');

    // The next snapshot reads A's usage only: the port is counted against A's last known range.
    const usageOnly = await snapshot(agent);
    taken.push(usageOnly);
    assert.equal((await setOf(agent, a)).fullReadAt, firstFull, 'A was not due');
    const limits = await httpJson<LimitsResult>(agent.baseUrl, `/api/v1/limits?namespace=${a}`);
    assert.equal(limits.status, 200, JSON.stringify(limits.body));
    const ports = limits.body.items.find(
      (i) => i.metric === 'ports.in_use' && i.namespace === limits.body.namespace,
    );
    assert.deepEqual(
      [ports?.usage, ports?.limit, ports?.at],
      [1, 20, usageOnly.takenAt],
      `usage recorded at a usage-only read, with the last known limit: ${JSON.stringify(ports)}`,
    );
    assert.deepEqual(
      (await historyOf(agent, a)).map((i) => [i.value, i.to]),
      [[before, null]],
      'between full reads the value served is the last known one',
    );

    // A's next full read finds the change, bounded by its previous full read.
    for (let i = 0; (await setOf(agent, a)).fullReadAt === firstFull; i += 1) {
      assert.ok(i < 30, 'A is read in full again within 30 snapshots');
      taken.push(await snapshot(agent));
    }
    const found = taken.at(-1);
    assert.ok(found && taken.length >= 2, 'at least one usage-only snapshot of A before its next full read');
    assert.equal((await setOf(agent, a)).fullReadAt, found.takenAt);
    const interval = (await historyOf(agent, a)).find((i) => i.value === changed);
    assert.deepEqual(
      [interval?.changedAfter, interval?.from],
      [firstFull, found.takenAt],
      'changed after the previous full read, not after the usage-only snapshot before the one that saw it',
    );
    const diff = await httpJson<{
      entries: { key: string; kind: string; changedAt: string; changedAfter: string | null }[];
    }>(
      agent.baseUrl,
      `/api/v1/diff?namespace=${a}&from=${encodeURIComponent(s1.takenAt)}&to=${encodeURIComponent(found.takenAt)}&limit=1000`,
    );
    assert.equal(diff.status, 200, JSON.stringify(diff.body));
    assert.deepEqual(
      diff.body.entries.map((e) => [e.key, e.kind, e.changedAfter, e.changedAt]),
      [[KEY, 'changed', firstFull, found.takenAt]],
      'the one change, and nothing removed',
    );

    // Nothing else moved: the other sets' usage-only snapshots removed nothing, no set ended, no read failed.
    for (const name of [b, c, d]) {
      const other: { status: number; body: { entries: unknown[] } } = await httpJson<{ entries: unknown[] }>(
        agent.baseUrl,
        `/api/v1/diff?namespace=${name}&from=${encodeURIComponent(s2.takenAt)}&to=${encodeURIComponent(found.takenAt)}`,
      );
      assert.equal(other.status, 200);
      assert.deepEqual(other.body.entries, [], `${name}: nothing removed or changed`);
    }
    for (const name of ids) assert.equal((await setOf(agent, name)).endedAt, null, `${name} is alive`);
    const identities = await Promise.all(
      ids.map(async (name) => (await setOf(agent as Agent, name)).identity),
    );
    for (const s of [s0, s1, s2, ...taken])
      assert.ok(!mentions(s, identities), `snapshot ${s.id} errors: ${JSON.stringify(s.errors)}`);
    t.diagnostic(
      `change in (${firstFull}, ${found.takenAt}], ${taken.length - 1} usage-only snapshot(s) of A in between`,
    );
  } finally {
    await agent?.close();
    await scope.cleanup();
    db.cleanup();
  }
});

const CONNTRACK_MAX = '/proc/sys/net/netfilter/nf_conntrack_max';

/**
 * A kernel event naming a set brings its full read forward: netns A, read in full the snapshot before (so not due
 * with FULL_READS_PER_SNAPSHOT=1 and older sets waiting), fills its conntrack table ("table full" in A's netns);
 * the next snapshot reads A in full, and only A.
 */
test('rolling full reads: a set a kernel event named is read in full at the next snapshot', async (t) => {
  if (!needsRoot(t)) return;
  accessSync('/dev/kmsg', constants.R_OK);
  await removeStaleTestNetns();
  const scope = new NetnsScope();
  const db = tempDatabase('rolling-full-reads-event');
  const saved = readFileSync(CONNTRACK_MAX, 'utf8').trim();
  let agent: Agent | undefined;
  try {
    const a = await scope.add('roll-ev-a');
    const others = [await scope.add('roll-ev-b'), await scope.add('roll-ev-c')];
    for (const name of [a, ...others]) {
      scope.spawnIn(name, ['sleep', '600']);
      await enableConntrack(name);
    }
    agent = await startAgent({
      env: {
        DB_PATH: db.dbPath,
        SNAPSHOT_INTERVAL: '3600',
        KMSG_PATH: '/dev/kmsg',
        FULL_READS_PER_SNAPSHOT: '1',
      },
      background: false,
    });
    const kmsg = agent.app.get(KmsgService);
    await kmsg.pollOnce();
    // Snapshots until A has just been read in full and B and C before it: A is then the last one due.
    const notDue = async (takenAt: string): Promise<boolean> => {
      const [first, ...rest] = await Promise.all(
        [a, ...others].map(async (name) => (await setOf(agent as Agent, name)).fullReadAt),
      );
      return first === takenAt && rest.every((at) => at !== null && at < takenAt);
    };
    for (let i = 0; ; i += 1) {
      assert.ok(i < 30, 'A read in full after B and C within 30 snapshots');
      if (await notDue((await snapshot(agent)).takenAt)) break;
    }

    const hostEntries = Number(readFileSync('/proc/sys/net/netfilter/nf_conntrack_count', 'utf8'));
    const low = Math.ceil((hostEntries + 1000) / 100) * 100;
    assert.ok(Number(saved) > low, `nf_conntrack_max is ${saved}: another test holds it low`);
    const inodeA = statSync(path.join('/run/netns', a)).ino;
    try {
      writeFileSync(CONNTRACK_MAX, String(low));
      await waitOutNetRatelimitWindow();
      await createTrackedFlows(a, low * 2).catch((error: Error) => {
        if (!/EPERM/.test(error.message)) throw error;
      });
    } finally {
      writeFileSync(CONNTRACK_MAX, saved);
    }
    assert.equal(readFileSync(CONNTRACK_MAX, 'utf8').trim(), saved, 'nf_conntrack_max restored');
    await waitFor(
      async () => {
        await kmsg.pollOnce();
        const page = await httpJson<KernelEventPage>(
          (agent as Agent).baseUrl,
          '/api/v1/kernel-events?signature=conntrack-table-full',
        );
        return page.body.items.some((e) => e.netInode === inodeA) ? true : undefined;
      },
      20_000,
      "a table-full event in A's netns",
    );

    const next = await snapshot(agent);
    assert.equal((await setOf(agent, a)).fullReadAt, next.takenAt, 'A read in full out of turn');
    assert.deepEqual(
      await nonHostFullyReadAt(agent, next.takenAt),
      [(await setOf(agent, a)).identity],
      'A spent the budget',
    );
  } finally {
    if (readFileSync(CONNTRACK_MAX, 'utf8').trim() !== saved) writeFileSync(CONNTRACK_MAX, saved);
    await agent?.close();
    await scope.cleanup();
    db.cleanup();
  }
});

import assert from 'node:assert/strict';
import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import type { KernelEventPage, KernelEventView } from '../../src/api/kernel-events/kernel-event.views.js';
import { tempDatabase } from '../helpers/agent-process.js';
import {
  createTrackedFlows,
  enableConntrack,
  waitOutNetRatelimitWindow,
} from '../helpers/conntrack-traffic.js';
import { runCommand } from '../helpers/docker-engine.js';
import { httpJson } from '../helpers/http-json.js';
import { type KmsgAgent, startKmsgAgent } from '../helpers/kmsg-agent.js';
import { NetnsScope } from '../helpers/netns-scope.js';
import { needsRoot } from '../helpers/privileges.js';

const CONNTRACK_MAX = '/proc/sys/net/netfilter/nf_conntrack_max';
const LOW_MAX = 64;
/** net.core.message_cost is 5 s: after this, the next net-limited message prints "N callbacks suppressed". */

/** The host's nf_conntrack_max is low only while `work` runs (no HTTP then); restored whatever happens. */
async function withLowConntrackMax(work: () => Promise<void>): Promise<void> {
  const saved = readFileSync(CONNTRACK_MAX, 'utf8').trim();
  if (Number(saved) <= LOW_MAX) throw new Error(`nf_conntrack_max is already ${saved}`);
  try {
    writeFileSync(CONNTRACK_MAX, String(LOW_MAX));
    await work();
  } finally {
    writeFileSync(CONNTRACK_MAX, saved);
  }
}

/** `count` new flows; past the max the kernel drops them (the sender sees EPERM). */
async function flood(netnsName: string, count: number): Promise<void> {
  await createTrackedFlows(netnsName, count).catch((error: Error) => {
    if (!/EPERM/.test(error.message)) throw error;
  });
}

/** The netns's conntrack `drop` counter as `conntrack -S` (the conntrack tool, not the agent) reports it. */
async function dropCounter(netnsName: string): Promise<number> {
  const { stdout } = await runCommand('ip', ['netns', 'exec', netnsName, 'conntrack', '-S']);
  return [...stdout.matchAll(/\bdrop=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** Kernel lines since `sinceSeconds` (uptime) as `dmesg --raw` prints them: the ground truth. */
async function kernelLinesSince(sinceSeconds: number): Promise<string[]> {
  const { stdout } = await runCommand('dmesg', ['--raw']);
  return stdout.split('\n').flatMap((line) => {
    const m = /^<\d+>\[\s*(\d+\.\d+)\] (.*)$/.exec(line);
    return m && Number(m[1]) >= sinceSeconds ? [m[2] ?? ''] : [];
  });
}

function uptimeSeconds(): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
}

const db = tempDatabase('kernel-event-counts');
const netns = new NetnsScope();
let agent: KmsgAgent | undefined;
after(async () => {
  await agent?.close();
  await netns.cleanup();
  db.cleanup();
});

/**
 * Two netns fill their conntrack tables in one window of the global net_ratelimit limiter, the second one
 * entirely suppressed; a later line prints "net_ratelimit: N callbacks suppressed". Each burst counts the lines
 * the kernel printed for its netns, N is a host-wide record credited to no burst, and each netns's magnitude is
 * the growth of its own drop counter (as `conntrack -S` reports it) between the snapshots around the storm.
 */
test('real table-full bursts in two netns: printed lines per burst, suppressed host-wide, drops per netns', async (t) => {
  if (!needsRoot(t)) return;
  accessSync('/dev/kmsg', constants.R_OK);
  const a = await netns.add('cnt-a');
  const b = await netns.add('cnt-b');
  const inodeOf = (name: string): number => statSync(path.join('/run/netns', name)).ino;
  const [inodeA, inodeB] = [inodeOf(a), inodeOf(b)];
  for (const name of [a, b]) {
    netns.spawnIn(name, ['sleep', '600']); // a process in the netns: the agent reads its counters through it
    await enableConntrack(name);
  }
  agent = await startKmsgAgent({ dbPath: db.dbPath });
  const { kmsg, baseUrl } = agent;
  await kmsg.pollOnce(); // first run: start at the end of the buffer
  const snapshot = async (): Promise<void> => {
    assert.equal((await httpJson(baseUrl, '/api/v1/snapshots', { method: 'POST' })).status, 201);
  };
  await snapshot();
  const dropsBefore = [await dropCounter(a), await dropCounter(b)];
  // A fresh limiter window, so that A's lines are printed and B's (right after) are swallowed.
  await waitOutNetRatelimitWindow();
  const since = uptimeSeconds();
  await withLowConntrackMax(async () => {
    await flood(a, 200);
    await flood(b, 300);
  });
  await waitOutNetRatelimitWindow();
  await withLowConntrackMax(() => flood(b, 20)); // B's table is still full (unreplied UDP lasts 30 s)
  await kmsg.pollOnce();
  await snapshot();
  const dropsAfter = [await dropCounter(a), await dropCounter(b)];

  const printed = await kernelLinesSince(since);
  const linesOf = (inode: number): number =>
    printed.filter((l) => l === `nf_conntrack: nf_conntrack: table full in netns ${inode}, dropping packet`)
      .length;
  const suppressedLines = printed.flatMap((l) => {
    const m = /^net_ratelimit: (\d+) callbacks suppressed$/.exec(l);
    return m ? [Number(m[1])] : [];
  });
  assert.ok(linesOf(inodeA) > 0 && linesOf(inodeB) > 0, `printed: ${printed.join(' | ')}`);
  assert.ok(suppressedLines.length > 0, 'the kernel printed a net_ratelimit line');

  const page = await httpJson<KernelEventPage>(baseUrl, `/api/v1/kernel-events?from=-10m`);
  assert.equal(page.status, 200);
  const burstsOf = (inode: number): KernelEventView[] =>
    page.body.items.filter((e) => e.signature === 'conntrack-table-full' && e.netInode === inode);
  const sum = (events: KernelEventView[], pick: (e: KernelEventView) => number): number =>
    events.reduce((total, e) => total + pick(e), 0);
  for (const [inode, name] of [
    [inodeA, a],
    [inodeB, b],
  ] as const) {
    const bursts = burstsOf(inode);
    assert.ok(bursts.length > 0, `a burst for ${name}`);
    assert.equal(
      sum(bursts, (e) => e.count),
      linesOf(inode),
      `${name}: count is the lines the kernel printed`,
    );
    assert.ok(
      bursts.every((e) => e.suppressed === 0),
      'no suppressed count is credited to a burst',
    );
    assert.deepEqual(
      bursts.map((e) => e.owners),
      bursts.map(() => [name]),
    );
  }
  const limiter = page.body.items.filter((e) => e.signature === 'net-ratelimit-suppressed');
  assert.deepEqual(
    limiter.map((e) => [e.namespace, e.netInode, e.drops]),
    limiter.map(() => [null, null, null]),
    'host-wide: no namespace, no magnitude',
  );
  assert.equal(
    sum(limiter, (e) => e.suppressed),
    suppressedLines.reduce((x, y) => x + y, 0),
  );
  assert.equal(
    sum(limiter, (e) => e.count),
    suppressedLines.length,
  );

  // Magnitude: the growth of each netns's own drop counter between the two snapshots.
  const [dropsA, dropsB] = [0, 1].map((i) => (dropsAfter[i] ?? 0) - (dropsBefore[i] ?? 0));
  for (const [inode, expected] of [
    [inodeA, dropsA],
    [inodeB, dropsB],
  ] as const) {
    for (const burst of burstsOf(inode)) {
      assert.ok(burst.drops, `burst ${burst.id} has a magnitude`);
      assert.equal(burst.drops.counters['conntrack.drop.total'], expected);
    }
  }
  assert.ok((dropsB ?? 0) > (dropsA ?? 0), `B dropped more (${dropsB}) than A (${dropsA})`);
  t.diagnostic(
    `A: ${linesOf(inodeA)} lines, ${dropsA} drops; B: ${linesOf(inodeB)} lines, ${dropsB} drops; ` +
      `suppressed host-wide: ${suppressedLines.join(' + ')}`,
  );
});

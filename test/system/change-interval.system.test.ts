import assert from 'node:assert/strict';
import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import type { KernelEventPage } from '../../src/api/kernel-events/kernel-event.views.js';
import { tempDatabase } from '../helpers/agent-process.js';
import {
  createTrackedFlows,
  enableConntrack,
  waitOutNetRatelimitWindow,
} from '../helpers/conntrack-traffic.js';
import { httpJson, waitFor } from '../helpers/http-json.js';
import { type KmsgAgent, startKmsgAgent } from '../helpers/kmsg-agent.js';
import { NetnsScope } from '../helpers/netns-scope.js';
import { needsRoot } from '../helpers/privileges.js';
import { envelopeOf, WebhookReceiver } from '../helpers/webhook-receiver.js';

const CONNTRACK_MAX = '/proc/sys/net/netfilter/nf_conntrack_max';
const KEY = 'net.netfilter.nf_conntrack_max';

interface Snapshot {
  id: number;
  takenAt: string;
}
interface Report {
  suspects: {
    key: string;
    explanation: string;
    evidence: {
      kind: string;
      namespace?: string | null;
      after?: string;
      at?: number;
      changedAfter?: number | null;
      changedBy?: number;
      firstAt?: number;
    }[];
  }[];
  timeline: {
    kind: string;
    key: string;
    namespace: string | null;
    from: string | null;
    to: string;
    step: number;
  }[];
}

async function flood(netnsName: string, count: number): Promise<void> {
  await createTrackedFlows(netnsName, count).catch((error: Error) => {
    if (!/EPERM/.test(error.message)) throw error;
  });
}

const db = tempDatabase('change-interval');
const netns = new NetnsScope();
let agent: KmsgAgent | undefined;
let receiver: WebhookReceiver | undefined;
after(async () => {
  await agent?.close();
  await receiver?.down();
  await netns.cleanup();
  db.cleanup();
});

/**
 * Someone lowers the host's nf_conntrack_max between two snapshots and a netns fills its table before the
 * second one: the change is served with its interval (after the first snapshot, by the second) in the key's
 * history, /diff and the setting.changed webhook, and the report's timeline puts the "table full" line in the
 * same step as the change (the order is unknown) instead of before it. Lines of another netns are no evidence
 * for this one.
 */
test('a change made between snapshots is served with its interval; the timeline does not order what it cannot', async (t) => {
  if (!needsRoot(t)) return;
  accessSync('/dev/kmsg', constants.R_OK);
  const saved = readFileSync(CONNTRACK_MAX, 'utf8').trim();
  // Low enough to fill quickly, with room for the host's own netns (the test talks HTTP to the agent).
  const hostEntries = Number(readFileSync('/proc/sys/net/netfilter/nf_conntrack_count', 'utf8'));
  const low = Math.ceil((hostEntries + 1000) / 100) * 100;
  assert.ok(Number(saved) > low, `nf_conntrack_max is ${saved}: another test holds it low`);
  const a = await netns.add('iv-a');
  const b = await netns.add('iv-b');
  const inodeOf = (name: string): number => statSync(path.join('/run/netns', name)).ino;
  for (const name of [a, b]) {
    netns.spawnIn(name, ['sleep', '600']);
    await enableConntrack(name);
  }
  agent = await startKmsgAgent({ dbPath: db.dbPath });
  receiver = await WebhookReceiver.start();
  const { kmsg, baseUrl } = agent;
  const hook = await httpJson(baseUrl, '/api/v1/webhooks', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: receiver.url(), events: ['setting.changed'], keys: [KEY] }),
  });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  await kmsg.pollOnce();
  const snapshot = async (): Promise<Snapshot> => {
    const taken = await httpJson<Snapshot>(baseUrl, '/api/v1/snapshots', { method: 'POST' });
    assert.equal(taken.status, 201);
    return taken.body;
  };
  const s0 = await snapshot();
  let s1: Snapshot;
  try {
    writeFileSync(CONNTRACK_MAX, String(low)); // after s0: the agent cannot know when
    await waitOutNetRatelimitWindow(); // A's lines open a window of their own
    await flood(a, low * 2);
    await waitOutNetRatelimitWindow(); // B's lines get printed too
    await flood(b, low * 2);
    await waitFor(
      async () => {
        await kmsg.pollOnce();
        const page = await httpJson<KernelEventPage>(
          baseUrl,
          '/api/v1/kernel-events?signature=conntrack-table-full',
        );
        const seen = new Set(page.body.items.map((e) => e.netInode));
        return seen.has(inodeOf(a)) && seen.has(inodeOf(b)) ? true : undefined;
      },
      20_000,
      'table-full events in both netns',
    );
    s1 = await snapshot();
  } finally {
    writeFileSync(CONNTRACK_MAX, saved);
  }
  assert.equal(readFileSync(CONNTRACK_MAX, 'utf8').trim(), saved, 'nf_conntrack_max restored');

  // History: the lowered value was set after s0 and was in place by s1.
  const history = await httpJson<{
    intervals: { value: string; from: string; changedAfter: string | null }[];
  }>(baseUrl, `/api/v1/settings/${KEY}/history?namespace=host`);
  const loweredInterval = history.body.intervals.find((i) => i.value === String(low));
  assert.deepEqual(
    [loweredInterval?.changedAfter, loweredInterval?.from],
    [s0.takenAt, s1.takenAt],
    JSON.stringify(history.body.intervals),
  );

  // /diff: the same interval.
  const diff = await httpJson<{ entries: { key: string; changedAt: string; changedAfter: string | null }[] }>(
    baseUrl,
    `/api/v1/diff?from=${encodeURIComponent(s0.takenAt)}&to=${encodeURIComponent(s1.takenAt)}&limit=1000`,
  );
  const entry = diff.body.entries.find((e) => e.key === KEY);
  assert.deepEqual([entry?.changedAfter, entry?.changedAt], [s0.takenAt, s1.takenAt]);

  // setting.changed: the interval, not just the snapshot that saw it.
  const change = await waitFor(
    async () =>
      receiver?.delivered
        .flatMap((r) => envelopeOf(r).events)
        .find((e) => e.type === 'setting.changed' && e.data.new === String(low)),
    10_000,
    'a setting.changed delivery',
  );
  assert.deepEqual(
    [change.data.key, change.data.changedAfter, change.data.detectedAt],
    [KEY, s0.takenAt, s1.takenAt],
  );

  // The report for netns A: the change is an interval, the line inside it is not ordered against it, and
  // B's lines are no evidence for A.
  const created = await httpJson<{ id: number }>(baseUrl, '/api/v1/incidents', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'a drops packets', startedAt: s0.takenAt, endedAt: 'now', namespace: a }),
  });
  assert.equal(created.status, 201);
  const report = await httpJson<Report>(baseUrl, `/api/v1/incidents/${created.body.id}/report?lookback=1h`);
  assert.equal(report.status, 200);
  const top = report.body.suspects.find((s) => s.key === KEY);
  assert.ok(top, JSON.stringify(report.body.suspects.map((s) => s.key)));
  const lowered = top.evidence.find((e) => e.kind === 'changed' && e.after === String(low));
  assert.deepEqual(
    [lowered?.changedAfter, lowered?.changedBy, lowered?.at],
    [Date.parse(s0.takenAt), Date.parse(s1.takenAt), Date.parse(s1.takenAt)],
    'a "table full" line fits both values: it does not tighten the interval',
  );
  const events = top.evidence.filter((e) => e.kind === 'kernel-event');
  assert.ok(events.length > 0);
  assert.ok(
    events.every((e) => (e.namespace ?? '').startsWith(`net:${inodeOf(a)}/`)),
    `only A's lines: ${JSON.stringify(events.map((e) => e.namespace))}`,
  );
  assert.match(
    top.explanation,
    /[Ii]t changed from \d+ to \d+ on the host between \d\d:\d\d:\d\d and \d\d:\d\d:\d\d/,
  );
  const changeEntry = report.body.timeline.find((e) => e.kind === 'changed' && e.key === KEY);
  const lineEntries = report.body.timeline.filter((e) => e.kind === 'kernel-event' && e.key === KEY);
  assert.ok(changeEntry && lineEntries.length > 0, JSON.stringify(report.body.timeline));
  assert.deepEqual([changeEntry.from, changeEntry.to], [s0.takenAt, s1.takenAt]);
  for (const line of lineEntries) {
    assert.ok(
      Date.parse(line.from ?? '') > Date.parse(s0.takenAt) && Date.parse(line.to) <= Date.parse(s1.takenAt),
    );
    assert.equal(line.step, changeEntry.step, 'a line inside the change interval shares its step');
  }
  t.diagnostic(
    `change in (${s0.takenAt}, ${s1.takenAt}]; ${lineEntries.length} kernel event(s) in step ${changeEntry.step}`,
  );
});

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { startAgent, tempDatabase } from '../helpers/agent-process.js';
import {
  createTrackedFlows,
  enableConntrack,
  waitOutNetRatelimitWindow,
} from '../helpers/conntrack-traffic.js';
import { httpJson, waitFor } from '../helpers/http-json.js';
import { NetnsScope } from '../helpers/netns-scope.js';
import { needsRoot } from '../helpers/privileges.js';

const CONNTRACK_MAX = '/proc/sys/net/netfilter/nf_conntrack_max';

interface Snapshot {
  id: number;
  takenAt: string;
}
interface Report {
  suspects: {
    rank: number;
    key: string;
    scope: string;
    childVisibility: string;
    kinds: string[];
    explanation: string;
    evidence: {
      kind: string;
      before?: string;
      after?: string;
      usage?: number;
      limit?: number;
      ratio?: number;
      count?: number;
      namespace?: string | null;
    }[];
  }[];
  timeline: { kind: string; key: string }[];
}

/**
 * The seed scenario of the product, for real: someone lowers the host's nf_conntrack_max, a container-like
 * netns fills its conntrack table on loopback, the kernel logs "table full in netns N", and the incident
 * report for that netns names nf_conntrack_max first with all three kinds of evidence.
 */
test('a conntrack table filled in one netns after nf_conntrack_max was lowered is explained by the report', async (t) => {
  if (!needsRoot(t)) return;
  const saved = readFileSync(CONNTRACK_MAX, 'utf8').trim();
  // Low enough to fill quickly, high enough that the host's own netns (the test talks HTTP to the agent on
  // loopback; every netns counts its own entries against the same max) keeps room to spare.
  const hostEntries = Number(readFileSync('/proc/sys/net/netfilter/nf_conntrack_count', 'utf8'));
  const LOW_MAX = Math.ceil((hostEntries + 1000) / 100) * 100;
  assert.ok(Number(saved) > LOW_MAX, `nf_conntrack_max is ${saved}: another test holds it low`);
  const db = tempDatabase('seed-incident');
  const netns = new NetnsScope();
  const agent = await startAgent({ DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' });
  try {
    const name = await netns.add('api');
    netns.spawnIn(name, ['sleep', '300']);
    await enableConntrack(name);
    const snap = async (): Promise<Snapshot> =>
      (await httpJson<Snapshot>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' })).body;
    await snap();
    const startedAt = new Date().toISOString();
    try {
      writeFileSync(CONNTRACK_MAX, String(LOW_MAX));
      await snap();
      await waitOutNetRatelimitWindow();
      await createTrackedFlows(name, LOW_MAX * 2).catch((error: Error) => {
        if (!/EPERM/.test(error.message)) throw error; // the 65th flow is dropped: the sender sees EPERM
      });
      await snap();
      await waitFor(
        async () => {
          const events = await httpJson<{ items: { signature: string }[] }>(
            agent.baseUrl,
            `/api/v1/kernel-events?namespace=${name}&signature=conntrack-table-full`,
          );
          return events.body.items.length > 0 ? true : undefined;
        },
        20_000,
        'the kernel event',
      );
    } finally {
      writeFileSync(CONNTRACK_MAX, saved);
    }
    const created = await httpJson<{ id: number }>(agent.baseUrl, '/api/v1/incidents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'api drops connections', startedAt, endedAt: 'now', namespace: name }),
    });
    assert.equal(created.status, 201);
    const report = await httpJson<Report>(
      agent.baseUrl,
      `/api/v1/incidents/${created.body.id}/report?lookback=1h`,
    );
    assert.equal(report.status, 200);
    const top = report.body.suspects[0];
    assert.equal(
      top?.key,
      'net.netfilter.nf_conntrack_max',
      JSON.stringify(report.body.suspects.slice(0, 3), null, 1),
    );
    assert.equal(top.scope, 'global');
    assert.equal(top.childVisibility, 'mirrored');
    // The netns's conntrack drop counter may rise too (`overflowed`), depending on how the kernel refused the flows.
    assert.deepEqual(
      top.kinds.filter((kind) => kind !== 'overflowed'),
      ['kernel-event', 'saturated', 'changed'],
    );
    const change = top.evidence.find((e) => e.kind === 'changed');
    assert.deepEqual([change?.before, change?.after, change?.namespace], [saved, String(LOW_MAX), 'host']);
    const saturation = top.evidence.find((e) => e.kind === 'saturated');
    assert.deepEqual([saturation?.usage, saturation?.limit, saturation?.ratio], [LOW_MAX, LOW_MAX, 1]);
    const event = top.evidence.find((e) => e.kind === 'kernel-event');
    assert.ok((event?.count ?? 0) >= 1);
    assert.match(top.explanation, /host-wide limit \(read-only inside containers\)/);
    const grouped = String(LOW_MAX).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
    assert.match(top.explanation, new RegExp(`held ${grouped} of ${grouped} conntrack entries \\(100%\\)`));
    assert.equal(
      top.evidence.filter((e) => e.kind === 'changed').length,
      1,
      'a mirrored key changes once: on the host',
    );
    assert.match(
      top.explanation,
      /the kernel logged 'nf_conntrack: nf_conntrack: table full in netns \d+, dropping packet'/,
    );
    assert.ok(report.body.timeline.some((e) => e.kind === 'kernel-event'));

    const incidents = await httpJson<{
      items: { source: string; signature: string | null; owners: string[] }[];
    }>(agent.baseUrl, '/api/v1/incidents');
    const auto = incidents.body.items.filter((i) => i.source === 'kernel-event');
    assert.equal(auto.length, 1, 'the kernel event opened exactly one incident by itself');
    assert.equal(auto[0]?.signature, 'conntrack-table-full');
    assert.deepEqual(auto[0]?.owners, [name]);
  } finally {
    if (readFileSync(CONNTRACK_MAX, 'utf8').trim() !== saved) writeFileSync(CONNTRACK_MAX, saved);
    await agent.stop();
    await netns.cleanup();
    db.cleanup();
  }
});

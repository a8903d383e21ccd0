import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { startAgent, tempDatabase } from '../../helpers/agent-process.js';
import {
  createTrackedFlows,
  enableConntrack,
  waitOutNetRatelimitWindow,
} from '../../helpers/conntrack-traffic.js';
import { httpJson, waitFor } from '../../helpers/http-json.js';
import { NetnsScope } from '../../helpers/netns-scope.js';
import { needsRoot } from '../../helpers/privileges.js';
import { assertCauseRankedFirst, openIncident, report, snapshot } from './scenario-kit.js';

const CONNTRACK_MAX = '/proc/sys/net/netfilter/nf_conntrack_max';
const SWAPPINESS = '/proc/sys/vm/swappiness';

/*
 * Production-only failure: the host-wide nf_conntrack_max is lowered while two netns consume it. "api" fills
 * its table (kernel line "table full in netns N"), "batch" runs near the max in its own netns: a co-consumer,
 * named, not blamed. Red herring: vm.swappiness, unrelated, changed shortly before the start and reverted after
 * it (remediation of the wrong thing): it must not outrank the real cause. Host values restored in finally.
 */
test('scenario: a host-wide limit lowered while several netns consume it, with a reverted unrelated change', async (t) => {
  if (!needsRoot(t)) return;
  const savedMax = readFileSync(CONNTRACK_MAX, 'utf8').trim();
  const savedSwappiness = readFileSync(SWAPPINESS, 'utf8').trim();
  const hostEntries = Number(readFileSync('/proc/sys/net/netfilter/nf_conntrack_count', 'utf8'));
  const LOW_MAX = Math.ceil((hostEntries + 1000) / 100) * 100;
  assert.ok(Number(savedMax) > LOW_MAX, `nf_conntrack_max is ${savedMax}: another test holds it low`);
  const db = tempDatabase('scenario-conntrack');
  const netns = new NetnsScope();
  const agent = await startAgent({ DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' });
  try {
    const api = await netns.add('api');
    const batch = await netns.add('batch');
    for (const name of [api, batch]) {
      netns.spawnIn(name, ['sleep', '300']);
      await enableConntrack(name);
    }
    await snapshot(agent);
    let startedAt = '';
    try {
      writeFileSync(SWAPPINESS, String(Number(savedSwappiness) === 10 ? 20 : 10));
      writeFileSync(CONNTRACK_MAX, String(LOW_MAX));
      await snapshot(agent);
      startedAt = new Date().toISOString();
      await createTrackedFlows(batch, Math.floor(LOW_MAX * 0.9));
      await waitOutNetRatelimitWindow();
      await createTrackedFlows(api, LOW_MAX * 2).catch((error: Error) => {
        if (!/EPERM/.test(error.message)) throw error; // flows past the max are dropped: the sender sees EPERM
      });
      writeFileSync(SWAPPINESS, savedSwappiness);
      await snapshot(agent);
      await waitFor(
        async () => {
          const events = await httpJson<{ items: unknown[] }>(
            agent.baseUrl,
            `/api/v1/kernel-events?namespace=${api}&signature=conntrack-table-full`,
          );
          return events.body.items.length > 0 ? true : undefined;
        },
        20_000,
        'the kernel event',
      );
    } finally {
      writeFileSync(CONNTRACK_MAX, savedMax);
      writeFileSync(SWAPPINESS, savedSwappiness);
    }
    const incident = await openIncident(agent, {
      title: 'api drops',
      startedAt,
      endedAt: 'now',
      namespace: api,
    });
    const body = await report(agent, incident.id);
    const top = assertCauseRankedFirst(body, {
      key: 'net.netfilter.nf_conntrack_max',
      kinds: ['kernel-event', 'saturated', 'changed'],
      explains: [
        /each netns counts its own entries against this one host-wide max/,
        new RegExp(`also running into it: .*netns of ${batch}`),
      ],
      herrings: ['vm.swappiness'],
    });
    assert.ok(
      top.evidence.filter((e) => e.namespace === body.incident.namespace).length > 0,
      'the incident set has its own evidence',
    );
  } finally {
    if (readFileSync(CONNTRACK_MAX, 'utf8').trim() !== savedMax) writeFileSync(CONNTRACK_MAX, savedMax);
    if (readFileSync(SWAPPINESS, 'utf8').trim() !== savedSwappiness)
      writeFileSync(SWAPPINESS, savedSwappiness);
    await agent.stop();
    await netns.cleanup();
    db.cleanup();
  }
});

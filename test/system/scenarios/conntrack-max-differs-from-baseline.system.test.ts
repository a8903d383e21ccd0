import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { startAgent, tempDatabase } from '../../helpers/agent-process.js';
import {
  createTrackedFlows,
  enableConntrack,
  waitOutNetRatelimitWindow,
} from '../../helpers/conntrack-traffic.js';
import { httpJson, waitFor, waitForStartupSnapshot } from '../../helpers/http-json.js';
import { NetnsScope } from '../../helpers/netns-scope.js';
import { needsRoot } from '../../helpers/privileges.js';
import { assertCauseRankedFirst, openIncident, report } from './scenario-kit.js';

const CONNTRACK_MAX = '/proc/sys/net/netfilter/nf_conntrack_max';

/*
 * Production-only failure: production runs a lower host-wide nf_conntrack_max than staging, set before the
 * agent was installed (no change is ever recorded). A netns fills its table for real. The staging baseline is
 * this host's export with staging's values: the original max, and a different kernel.panic and tcp_ecn (red
 * herrings: drift that bounds nothing). With `&baseline=` the report names the max first, with its drift.
 */
test('scenario: a host-wide limit that differs from a baseline, never changed while the agent watched', async (t) => {
  if (!needsRoot(t)) return;
  const savedMax = readFileSync(CONNTRACK_MAX, 'utf8').trim();
  const panic = readFileSync('/proc/sys/kernel/panic', 'utf8').trim();
  const hostEntries = Number(readFileSync('/proc/sys/net/netfilter/nf_conntrack_count', 'utf8'));
  const LOW_MAX = Math.ceil((hostEntries + 1000) / 100) * 100;
  assert.ok(Number(savedMax) > LOW_MAX, `nf_conntrack_max is ${savedMax}: another test holds it low`);
  const db = tempDatabase('scenario-conntrack-baseline');
  const netns = new NetnsScope();
  let agent: Awaited<ReturnType<typeof startAgent>> | undefined;
  try {
    writeFileSync(CONNTRACK_MAX, String(LOW_MAX));
    const api = await netns.add('api');
    netns.spawnIn(api, ['sleep', '300']);
    await enableConntrack(api);
    agent = await startAgent({ DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' });
    const running = agent;
    await waitForStartupSnapshot(running.baseUrl, 30_000);
    const exported = await httpJson<{ values: Record<string, string | null> }>(
      running.baseUrl,
      '/api/v1/export',
    );
    const staging = structuredClone(exported.body);
    staging.values['net.netfilter.nf_conntrack_max'] = savedMax;
    staging.values['kernel.panic'] = panic === '10' ? '20' : '10';
    staging.values['net.ipv4.tcp_ecn'] = '1';
    const imported = await httpJson(running.baseUrl, '/api/v1/baselines?name=staging', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(staging),
    });
    assert.equal(imported.status, 201);
    const startedAt = new Date().toISOString();
    await waitOutNetRatelimitWindow();
    await createTrackedFlows(api, LOW_MAX * 2).catch((error: Error) => {
      if (!/EPERM/.test(error.message)) throw error;
    });
    await httpJson(running.baseUrl, '/api/v1/snapshots', { method: 'POST' });
    await waitFor(
      async () => {
        const events = await httpJson<{ items: unknown[] }>(
          running.baseUrl,
          `/api/v1/kernel-events?namespace=${api}&signature=conntrack-table-full`,
        );
        return events.body.items.length > 0 ? true : undefined;
      },
      20_000,
      'the kernel event',
    );
    writeFileSync(CONNTRACK_MAX, savedMax);
    const incident = await openIncident(running, {
      title: 'api drops',
      startedAt,
      endedAt: 'now',
      namespace: api,
    });
    const body = await report(running, incident.id, '?baseline=staging');
    assertCauseRankedFirst(body, {
      key: 'net.netfilter.nf_conntrack_max',
      kinds: ['kernel-event', 'saturated', 'baseline-drift'],
      withoutKinds: ['changed'], // the agent never saw it change
      explains: [
        new RegExp(
          `It is ${LOW_MAX} here but ${savedMax} on baseline 'staging'|it is ${LOW_MAX} here but ${savedMax} on baseline 'staging'`,
        ),
        /each netns counts its own entries/,
      ],
      herrings: ['kernel.panic', 'net.ipv4.tcp_ecn'],
    });
  } finally {
    if (readFileSync(CONNTRACK_MAX, 'utf8').trim() !== savedMax) writeFileSync(CONNTRACK_MAX, savedMax);
    await agent?.stop();
    await netns.cleanup();
    db.cleanup();
  }
});

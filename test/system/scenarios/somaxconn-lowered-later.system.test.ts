import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runContainerScenario } from './container-scenario.js';
import {
  acceptQueueBurst,
  assertCauseRankedFirst,
  openIncident,
  report,
  setInNetns,
  snapshot,
} from './scenario-kit.js';

/*
 * Production-only failure: a sidecar lowers net.core.somaxconn inside a running container's netns (a change,
 * not a value set at creation), and a real connection burst overflows the accept queue with no kernel line.
 * Red herring: in the same netns net.ipv4.tcp_fin_timeout was changed an hour's lookback earlier and left so;
 * it bounds nothing the symptoms touch, so it ranks below the limit behind the counter.
 */
test('scenario: somaxconn lowered later inside a running container, found from change, own value and counter', async (t) => {
  await runContainerScenario(t, 'scenario-somaxconn-later', async ({ agent, containers }) => {
    const api = await containers.run([], { label: 'api' });
    await snapshot(agent);
    await setInNetns(api.pid, 'net.ipv4.tcp_fin_timeout', '15');
    await setInNetns(api.pid, 'net.core.somaxconn', '2');
    await snapshot(agent);
    const startedAt = new Date().toISOString();
    await acceptQueueBurst(api.pid, 8080, 40);
    await snapshot(agent);
    const incident = await openIncident(agent, {
      title: 'api: SYNs dropped',
      startedAt,
      endedAt: 'now',
      namespace: api.name,
    });
    const body = await report(agent, incident.id);
    const top = assertCauseRankedFirst(body, {
      key: 'net.core.somaxconn',
      kinds: ['overflowed', 'own-value', 'changed'],
      explains: [/[Ii]t changed from \d+ to 2 in the netns of /, /so at most 2/],
      herrings: ['net.ipv4.tcp_fin_timeout'],
    });
    const own = top.evidence.find((e) => e.kind === 'own-value');
    assert.deepEqual([own?.value, own?.atCreation], ['2', false]);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runContainerScenario } from './container-scenario.js';
import { acceptQueueBurst, assertCauseRankedFirst, openIncident, report, snapshot } from './scenario-kit.js';

/*
 * Production-only failure: a container started with `--sysctl net.core.somaxconn=4` (the value never
 * "changed": it was set at creation) overflows its accept queue under a real connection burst; no kernel line
 * is logged, only the netns's TcpExt ListenOverflows counter climbs. Red herring: a second container with its
 * own small somaxconn overflows too, in its own netns; the incident is scoped to the first.
 */
test('scenario: a namespaced capacity set too small at container creation, found from a counter', async (t) => {
  await runContainerScenario(t, 'scenario-somaxconn', async ({ agent, containers }) => {
    const hostSomaxconn = readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim();
    const web = await containers.run(['--sysctl', 'net.core.somaxconn=4'], { label: 'web' });
    const batch = await containers.run(['--sysctl', 'net.core.somaxconn=8'], { label: 'batch' });
    await snapshot(agent);
    const startedAt = new Date().toISOString();
    await Promise.all([acceptQueueBurst(web.pid, 8080, 40), acceptQueueBurst(batch.pid, 8081, 40)]);
    await snapshot(agent);
    const incident = await openIncident(agent, {
      title: 'web: connection timeouts under load',
      startedAt,
      endedAt: 'now',
      namespace: web.name,
    });
    const body = await report(agent, incident.id);
    const top = assertCauseRankedFirst(body, {
      key: 'net.core.somaxconn',
      kinds: ['overflowed', 'own-value'],
      explains: [
        /runs it at 4 since it was created \(the host has \d+/,
        /min\(listen\(\) backlog, somaxconn\), so at most 4/,
        /listen overflows/,
      ],
      nothingFromOtherSets: true,
    });
    const overflow = top.evidence.find((e) => e.kind === 'overflowed');
    assert.ok((overflow?.increase ?? 0) > 0);
    const own = top.evidence.find((e) => e.kind === 'own-value');
    assert.deepEqual([own?.value, own?.host, own?.atCreation], ['4', hostSomaxconn, true]);
  });
});

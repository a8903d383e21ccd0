import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { runContainerScenario } from './container-scenario.js';
import { acceptQueueBurst, assertCauseRankedFirst, openIncident, report, snapshot } from './scenario-kit.js';

const SWAPPINESS = '/proc/sys/vm/swappiness';

/*
 * The operator does not know where it failed: a host-wide incident (no namespace). One container runs
 * somaxconn=4 from its creation and overflows under a real burst; a quiet neighbour runs the default. Red
 * herring: vm.swappiness changed and changed back before the incident began (weak). The report still names
 * somaxconn first, in the container's netns, and leaves the neighbour out.
 */
test('scenario: a host-wide incident finds the container whose own limit overflowed; a reverted change stays weak', async (t) => {
  await runContainerScenario(t, 'scenario-host-wide', async ({ agent, containers }) => {
    const savedSwappiness = readFileSync(SWAPPINESS, 'utf8').trim();
    try {
      const web = await containers.run(['--sysctl', 'net.core.somaxconn=4'], { label: 'web' });
      const quiet = await containers.run([], { label: 'quiet' });
      await snapshot(agent);
      try {
        writeFileSync(SWAPPINESS, String(Number(savedSwappiness) === 10 ? 20 : 10));
        await snapshot(agent);
      } finally {
        writeFileSync(SWAPPINESS, savedSwappiness);
      }
      await snapshot(agent);
      const startedAt = new Date().toISOString();
      await acceptQueueBurst(web.pid, 8080, 40);
      await acceptQueueBurst(quiet.pid, 8080, 3); // fits its 4096-long queue: no overflow
      await snapshot(agent);
      const incident = await openIncident(agent, { title: 'timeouts somewhere', startedAt, endedAt: 'now' });
      const body = await report(agent, incident.id);
      const top = assertCauseRankedFirst(body, {
        key: 'net.core.somaxconn',
        kinds: ['overflowed', 'own-value'],
        explains: [new RegExp(`[Nn]etns of ${web.name} runs it at 4 since it was created`)],
        herrings: ['vm.swappiness'],
      });
      assert.ok(!top.explanation.includes(quiet.name), 'the quiet neighbour is not named');
    } finally {
      if (readFileSync(SWAPPINESS, 'utf8').trim() !== savedSwappiness)
        writeFileSync(SWAPPINESS, savedSwappiness);
    }
  });
});

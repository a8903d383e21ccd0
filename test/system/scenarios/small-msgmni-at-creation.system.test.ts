import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runContainerScenario } from './container-scenario.js';
import {
  assertCauseRankedFirst,
  createMessageQueues,
  openIncident,
  report,
  snapshot,
} from './scenario-kit.js';

/*
 * Production-only failure: a container started with `--sysctl kernel.msgmni=4` (an IPC-namespace limit) runs
 * out of message queues (msgget fails with ENOSPC) under its real workload. Co-located red herring: a second
 * container with its own msgmni=2, also full, in its own IPC namespace; nothing of it is blamed.
 */
test('scenario: an IPC limit set small at container creation runs out (msgget ENOSPC)', async (t) => {
  await runContainerScenario(t, 'scenario-msgmni', async ({ agent, containers }) => {
    const hostMsgmni = readFileSync('/proc/sys/kernel/msgmni', 'utf8').trim();
    const worker = await containers.run(['--sysctl', 'kernel.msgmni=4'], { label: 'worker' });
    const other = await containers.run(['--sysctl', 'kernel.msgmni=2'], { label: 'other' });
    await snapshot(agent);
    const startedAt = new Date().toISOString();
    assert.equal(await createMessageQueues(worker.pid, 10), 4, 'msgmni=4 allows four queues');
    assert.equal(await createMessageQueues(other.pid, 10), 2);
    await snapshot(agent);
    const incident = await openIncident(agent, {
      title: 'worker: msgget: No space left on device',
      startedAt,
      endedAt: 'now',
      namespace: worker.name,
    });
    const body = await report(agent, incident.id);
    assertCauseRankedFirst(body, {
      key: 'kernel.msgmni',
      kinds: ['saturated', 'own-value'],
      explains: [
        /^kernel\.msgmni is set per ipc namespace/,
        new RegExp(`runs it at 4 since it was created \\(the host has ${hostMsgmni}`),
        /held 4 of 4 message queues \(100%\)/,
      ],
      nothingFromOtherSets: true,
    });
  });
});

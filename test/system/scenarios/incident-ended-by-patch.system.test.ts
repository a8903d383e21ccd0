import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpJson } from '../../helpers/http-json.js';
import { runContainerScenario } from './container-scenario.js';
import {
  acceptQueueBurst,
  assertCauseRankedFirst,
  openIncident,
  report,
  setInNetns,
  snapshot,
  topOf,
} from './scenario-kit.js';

/*
 * The incident lifecycle on a real failure: opened while ongoing, ended afterwards with PATCH. A change made in
 * the same container after the end (net.ipv4.tcp_fin_timeout, the red herring) is outside the window once the
 * incident is ended, so the report of the resolved incident does not list it; the cause stays first.
 */
test('scenario: an incident opened while ongoing and ended with PATCH; a later change is outside its window', async (t) => {
  await runContainerScenario(t, 'scenario-patch', async ({ agent, containers }) => {
    const web = await containers.run(['--sysctl', 'net.core.somaxconn=4'], { label: 'web' });
    await snapshot(agent);
    const incident = await openIncident(agent, {
      title: 'web timeouts',
      startedAt: new Date().toISOString(),
      namespace: web.name,
    });
    await acceptQueueBurst(web.pid, 8080, 40);
    await snapshot(agent);
    const endedAt = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the next change lands in a later second
    await setInNetns(web.pid, 'net.ipv4.tcp_fin_timeout', '5');
    await snapshot(agent);
    const open = await report(agent, incident.id);
    assert.ok(
      open.suspects.some((s) => s.key === 'net.ipv4.tcp_fin_timeout'),
      'still open: the change is in',
    );
    const ended = await httpJson<{ status: string; endedAt: string }>(
      agent.baseUrl,
      `/api/v1/incidents/${incident.id}`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ endedAt, status: 'resolved' }),
      },
    );
    assert.equal(ended.status, 200);
    assert.deepEqual([ended.body.status, ended.body.endedAt], ['resolved', endedAt]);
    const body = await report(agent, incident.id);
    assertCauseRankedFirst(body, { key: 'net.core.somaxconn' });
    assert.ok(!body.suspects.some((s) => s.key === 'net.ipv4.tcp_fin_timeout'), topOf(body, 5));
  });
});

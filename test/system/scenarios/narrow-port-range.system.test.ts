import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runContainerScenario } from './container-scenario.js';
import {
  assertCauseRankedFirst,
  type HeldConnections,
  holdConnections,
  openIncident,
  report,
  setInNetns,
  snapshot,
} from './scenario-kit.js';

/*
 * Production-only failure: a container started with a 10-port ip_local_port_range runs out of ephemeral ports
 * under real connections (the 11th connect fails with EADDRNOTAVAIL). Red herrings: in the same container,
 * net.ipv4.tcp_keepalive_time is changed and changed back inside the window, and a neighbour container with
 * the same narrow range stays idle. The report names the range first with the value in force and the host's.
 */
test('scenario: a port range set narrow at creation runs out; a change made and reverted in the window is no cause', async (t) => {
  await runContainerScenario(t, 'scenario-ports', async ({ agent, containers }) => {
    const hostRange = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const hostWidth = Number(hostRange[1]) - Number(hostRange[0]) + 1;
    let held: HeldConnections | undefined;
    try {
      const narrow = ['--sysctl', 'net.ipv4.ip_local_port_range=40000 40009'];
      const web = await containers.run(narrow, { label: 'web' });
      await containers.run(narrow, { label: 'idle' });
      await snapshot(agent);
      const startedAt = new Date().toISOString();
      await setInNetns(web.pid, 'net.ipv4.tcp_keepalive_time', '600');
      await snapshot(agent);
      held = await holdConnections(web.pid, 9000, 12);
      assert.equal(held.connected, 10, 'ten ports, ten connections');
      await setInNetns(web.pid, 'net.ipv4.tcp_keepalive_time', '7200');
      await snapshot(agent);
      await held.stop();
      held = undefined;
      const incident = await openIncident(agent, {
        title: 'web: cannot assign requested address',
        startedAt,
        endedAt: 'now',
        namespace: web.name,
      });
      const body = await report(agent, incident.id);
      assertCauseRankedFirst(body, {
        key: 'net.ipv4.ip_local_port_range',
        kinds: ['saturated', 'own-value'],
        explains: [
          /runs it at 40000 40009 \(10 ports\) since it was created/,
          new RegExp(
            `the host has ${hostRange.join(' ')} \\(${String(hostWidth).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} ports\\)`,
          ),
          /held 10 of 10 ephemeral ports \(100%\)/,
        ],
        herrings: ['net.ipv4.tcp_keepalive_time'],
        nothingFromOtherSets: true,
      });
    } finally {
      await held?.stop();
    }
  });
});

import assert from 'node:assert/strict';
import { readFileSync, readlinkSync } from 'node:fs';
import { test } from 'node:test';
import type { RunningAgent } from '../../helpers/agent-process.js';
import {
  docker,
  DockerScope,
  runContainer,
  type TestContainer,
  uniqueTestName,
} from '../../helpers/docker-engine.js';
import { httpJson } from '../../helpers/http-json.js';
import { runContainerScenario } from './container-scenario.js';
import {
  acceptQueueBurst,
  assertCauseRankedFirst,
  openIncident,
  report,
  snapshot,
  topOf,
} from './scenario-kit.js';

/*
 * Production-only failure: "web" is redeployed under the same name. The old container (somaxconn=4 at
 * creation) overflowed its accept queue early in the incident window and was removed; the kernel handed its
 * net/ipc/uts inode numbers to the new one (somaxconn=8 at creation), which overflows too. The incident is
 * opened by name, so for the new container: its own value and its own counter explain it; the old
 * container's value, overflows and name are another set's (a red herring sharing its inode numbers), and 4→8
 * is no "change". Second red herring: a neighbour with somaxconn=2 overflows in its own netns.
 */

/** Containers started, at most, until one gets the removed one's numbers (the kernel reuses them at once, usually). */
const REUSE_ATTEMPTS = 12;

interface Inodes {
  readonly net: string;
  readonly ipc: string;
  readonly uts: string;
}

function inodesOf(pid: number): Inodes {
  const link = (type: string): string => readlinkSync(`/proc/${pid}/ns/${type}`);
  return { net: link('net'), ipc: link('ipc'), uts: link('uts') };
}

/** TcpExt ListenOverflows of the netns of `pid`, as the kernel counts it. */
function listenOverflows(pid: number): number {
  const lines = readFileSync(`/proc/${pid}/net/netstat`, 'utf8').split('\n');
  const header = lines.find((l) => l.startsWith('TcpExt:'))?.split(/\s+/) ?? [];
  const values = lines.filter((l) => l.startsWith('TcpExt:'))[1]?.split(/\s+/) ?? [];
  return Number(values[header.indexOf('ListenOverflows')]);
}

/** Starts containers named `name` with `args` until one has all of `wanted`'s inode numbers; the others go. */
async function replaceReusingInodes(
  scope: DockerScope,
  name: string,
  args: readonly string[],
  wanted: Inodes,
): Promise<TestContainer> {
  const seen: string[] = [];
  for (let attempt = 0; attempt < REUSE_ATTEMPTS; attempt++) {
    const candidate = await runContainer(args, { name, scope });
    const inodes = inodesOf(candidate.pid);
    if (inodes.net === wanted.net && inodes.ipc === wanted.ipc && inodes.uts === wanted.uts) return candidate;
    seen.push(`${inodes.net} ${inodes.ipc} ${inodes.uts}`);
    await docker(['rm', '-f', candidate.id]);
  }
  throw new Error(
    `the kernel did not reuse ${JSON.stringify(wanted)} in ${REUSE_ATTEMPTS} tries: ${seen.join(', ')}`,
  );
}

async function somaxconnHistory(
  agent: RunningAgent,
  namespace: string,
): Promise<{ value: string | null; to: string | null }[]> {
  const answer = await httpJson<{ intervals: { value: string | null; to: string | null }[] }>(
    agent.baseUrl,
    `/api/v1/settings/net.core.somaxconn/history?from=-1h&namespace=${encodeURIComponent(namespace)}`,
  );
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.intervals;
}

test('scenario: a container replaced by another that reuses its inodes, each with its own small somaxconn', async (t) => {
  await runContainerScenario(t, 'scenario-replaced', async ({ agent, containers }) => {
    const hostSomaxconn = readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim();
    const web = uniqueTestName('web');
    const batch = await runContainer(['--sysctl', 'net.core.somaxconn=2'], {
      label: 'batch',
      scope: containers,
    });
    const old = await runContainer(['--sysctl', 'net.core.somaxconn=4'], { name: web, scope: containers });
    const oldInodes = inodesOf(old.pid);
    await snapshot(agent);
    const startedAt = new Date().toISOString();
    await acceptQueueBurst(old.pid, 8080, 40);
    const oldOverflows = listenOverflows(old.pid);
    assert.ok(oldOverflows > 0, 'the old container overflowed');
    await snapshot(agent);
    const oldSet = await httpJson<{ id: number; identity: string }>(
      agent.baseUrl,
      `/api/v1/namespaces/${encodeURIComponent(web)}`,
    );
    assert.equal(oldSet.status, 200);

    await docker(['rm', '-f', old.id]);
    const replaced = await replaceReusingInodes(
      containers,
      web,
      ['--sysctl', 'net.core.somaxconn=8'],
      oldInodes,
    );
    await snapshot(agent);
    await Promise.all([acceptQueueBurst(replaced.pid, 8080, 40), acceptQueueBurst(batch.pid, 8081, 40)]);
    const newOverflows = listenOverflows(replaced.pid);
    assert.ok(newOverflows > 0, 'the new container overflowed');
    await snapshot(agent);

    const incident = await openIncident(agent, {
      title: 'web: connection timeouts since before the redeploy',
      startedAt,
      endedAt: 'now',
      namespace: web,
    });
    const body = await report(agent, incident.id);
    assert.equal(
      body.incident.namespace,
      `${oldSet.body.identity}~2`,
      'the name names the new container’s set',
    );

    t.diagnostic(`#1: ${body.suspects[0]?.explanation ?? 'none'}`);
    const top = assertCauseRankedFirst(body, {
      key: 'net.core.somaxconn',
      kinds: ['overflowed', 'own-value'],
      withoutKinds: ['changed'], // 4 → 8 across two containers is no change
      explains: [
        new RegExp(`${web}[^.]* runs it at 8 since it was created \\(the host has ${hostSomaxconn}`),
        /min\(listen\(\) backlog, somaxconn\), so at most 8/,
      ],
      nothingFromOtherSets: true,
    });
    const overflows = top.evidence.filter(
      (e) => e.kind === 'overflowed' && e.metric === 'tcp.listen_overflows.total',
    );
    assert.deepEqual(
      overflows.map((e) => [e.namespace, e.increase]),
      [[body.incident.namespace, newOverflows]],
      `only the new container's own overflows (old: ${oldOverflows}, new: ${newOverflows}): ${topOf(body)}`,
    );
    const own = top.evidence.filter((e) => e.kind === 'own-value');
    assert.deepEqual(
      own.map((e) => [e.value, e.host, e.atCreation]),
      [['8', hostSomaxconn, true]],
      topOf(body),
    );
    assert.doesNotMatch(top.explanation, /\b(at|from|to) 4\b/, 'the old container’s value is not this set’s');

    assert.deepEqual(
      (await somaxconnHistory(agent, String(oldSet.body.id))).map((i) => i.value),
      ['4'],
      'the old set held 4 and nothing else',
    );
    assert.deepEqual(
      (await somaxconnHistory(agent, web)).map((i) => [i.value, i.to]),
      [['8', null]],
      'the new set holds 8 from its start, no 4 → 8 change',
    );
  });
});

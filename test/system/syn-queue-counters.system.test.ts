import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { LimitPairView, LimitsResult, UsageResult } from '../../src/api/limits/limit.views.js';
import { parseNetstat } from '../../src/domain/limits/parse-netstat.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { httpJson, takeSnapshot, waitFor, waitForStartupSnapshot } from '../helpers/http-json.js';
import { NetnsScope, removeStaleTestNetns } from '../helpers/netns-scope.js';
import { needsRoot } from '../helpers/privileges.js';
import { startAgent, type Agent } from '../helpers/start-agent.js';
import { openIncident, report, type ScenarioReport, topOf } from './scenarios/scenario-kit.js';

/**
 * A listener asking listen(128) (capped to the netns's somaxconn) and 12 non-blocking clients, all on the netns's
 * loopback. The netns's own iptables drops every SYN-ACK, so no handshake completes: the SYN queue stays full
 * and every further SYN (retried each second) meets tcp_conn_request()'s "queue full" branch.
 */
const SYN_FLOOD = `
import socket, sys, time
srv = socket.socket(); srv.bind(("127.0.0.1", 5557)); srv.listen(128)
keep = []
for i in range(12):
    c = socket.socket(); c.setblocking(False); c.connect_ex(("127.0.0.1", 5557)); keep.append(c)
print("ready", flush=True)
time.sleep(600)
`;

async function prepare(scope: NetnsScope, label: string, syncookies: number): Promise<string> {
  const ns = await scope.add(label);
  await scope.exec(ns, ['ip', 'link', 'set', 'lo', 'up']);
  await scope.exec(ns, [
    'sysctl',
    '-q',
    '-w',
    `net.ipv4.tcp_syncookies=${syncookies}`,
    'net.core.somaxconn=4',
  ]);
  await scope.exec(ns, [
    'iptables',
    '-w',
    '-A',
    'OUTPUT',
    '-p',
    'tcp',
    '--tcp-flags',
    'SYN,ACK',
    'SYN,ACK',
    '-j',
    'DROP',
  ]);
  return ns;
}

/** Waits until the kernel has counted `atLeast` of `counter` in the netns of `child` (read from the host). */
async function kernelCounted(child: ChildProcess, counter: string, atLeast: number): Promise<number> {
  return waitFor(
    async () => {
      const value = parseNetstat(readFileSync(`/proc/${child.pid}/net/netstat`, 'utf8')).get(counter) ?? 0;
      return value >= atLeast ? value : undefined;
    },
    20_000,
    `${counter} >= ${atLeast}`,
  );
}

/** Opens an incident scoped to `namespace` since `startedAt` and answers its report. */
async function reportFor(agent: Agent, namespace: string, startedAt: string): Promise<ScenarioReport> {
  const incident = await openIncident(agent, {
    title: `${namespace}: connections time out`,
    startedAt,
    endedAt: 'now',
    namespace,
  });
  return report(agent, incident.id);
}

async function pairsOf(agent: Agent, ns: string): Promise<Map<string, LimitPairView>> {
  const res = await httpJson<LimitsResult>(agent.baseUrl, `/api/v1/limits?namespace=${ns}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const own = res.body.items.filter((i) => i.namespace === res.body.namespace);
  return new Map(own.map((i) => [i.metric, i]));
}

test('SYNs the kernel drops (or answers with cookies) for a full SYN queue are counter evidence against somaxconn', async (t) => {
  if (!needsRoot(t)) return;
  await removeStaleTestNetns();
  const scope = new NetnsScope();
  const db = tempDatabase('syn-queue-counters');
  let agent: Agent | undefined;
  try {
    const drops = await prepare(scope, 'syndrop', 0);
    const cookies = await prepare(scope, 'syncookie', 1);
    agent = await startAgent({ env: { DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' } });
    await waitForStartupSnapshot(agent.baseUrl);
    await takeSnapshot(agent.baseUrl);
    const startedAt = new Date().toISOString();

    const dropper = scope.spawnIn(drops, ['python3', '-c', SYN_FLOOD]);
    const cookier = scope.spawnIn(cookies, ['python3', '-c', SYN_FLOOD]);
    // 5 requests fit (full is "> 4"); the 7 other clients' first SYNs and their retries are refused.
    const dropped = await kernelCounted(dropper, 'TcpExt.TCPReqQFullDrop', 14);
    const cookied = await kernelCounted(cookier, 'TcpExt.TCPReqQFullDoCookies', 14);
    await takeSnapshot(agent.baseUrl);

    const dropPairs = await pairsOf(agent, drops);
    const syn = dropPairs.get('tcp.syn_queue_drops.total');
    assert.ok(syn, `the SYN-queue drops of the netns: ${JSON.stringify([...dropPairs.keys()])}`);
    assert.equal(syn.kind, 'counter');
    assert.equal(syn.limitKey, 'net.core.somaxconn');
    assert.equal(syn.place, 'set');
    assert.equal(syn.limit, 4, "the netns's own somaxconn");
    assert.ok(syn.usage >= dropped, `${syn.usage} >= ${dropped}`);
    assert.equal(
      dropPairs.has('tcp.syn_queue_cookies.total'),
      false,
      'no cookie series under tcp_syncookies=0',
    );

    const cookiePairs = await pairsOf(agent, cookies);
    const sent = cookiePairs.get('tcp.syn_queue_cookies.total');
    assert.ok(sent, `the cookies of the netns: ${JSON.stringify([...cookiePairs.keys()])}`);
    assert.deepEqual([sent.limitKey, sent.limit], ['net.core.somaxconn', 4]);
    assert.ok(sent.usage >= cookied);
    assert.equal(cookiePairs.get('tcp.syn_queue_drops.total')?.usage, 0, 'with cookies, nothing is dropped');

    const usage = await httpJson<UsageResult>(
      agent.baseUrl,
      `/api/v1/usage?metric=tcp.syn_queue_drops.total&namespace=${drops}&from=-10m`,
    );
    assert.equal(usage.status, 200, JSON.stringify(usage.body));
    assert.equal(usage.body.kind, 'counter');
    assert.ok((usage.body.points.at(-1)?.ratePerSecond ?? 0) > 0, JSON.stringify(usage.body.points));

    const body = await reportFor(agent, drops, startedAt);
    const top = body.suspects[0];
    assert.equal(top?.key, 'net.core.somaxconn', topOf(body));
    t.diagnostic(top.explanation);
    const evidence = top.evidence.find((e) => e.metric === 'tcp.syn_queue_drops.total');
    assert.equal(evidence?.kind, 'overflowed', topOf(body));
    assert.equal(evidence.namespace, body.incident.namespace, 'evidence for the incident set');
    assert.ok((evidence.increase ?? 0) >= dropped);
    assert.match(
      top.explanation,
      /SYN queue and accept queue are each min\(listen\(\) backlog, somaxconn\), so at most 4\./,
    );
    assert.match(
      top.explanation,
      /dropped \d+ SYNs for a full SYN queue at [\d.]+\/s between \S+ and \S+ against min\(listen\(\) backlog, somaxconn=4\) with tcp_syncookies=0/,
    );

    const cookieReport = await reportFor(agent, cookies, startedAt);
    const cookieTop = cookieReport.suspects[0];
    assert.equal(cookieTop?.key, 'net.core.somaxconn', topOf(cookieReport));
    t.diagnostic(cookieTop.explanation);
    assert.ok(
      cookieTop.evidence.some((e) => e.kind === 'overflowed' && e.metric === 'tcp.syn_queue_cookies.total'),
      topOf(cookieReport),
    );
    assert.match(cookieTop.explanation, /answered \d+ SYNs with syncookies for a full SYN queue/);
  } finally {
    await agent?.close();
    await scope.cleanup();
    db.cleanup();
  }
});

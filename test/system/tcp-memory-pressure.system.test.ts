import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { LimitsResult } from '../../src/api/limits/limit.views.js';
import { parseNetstat } from '../../src/domain/limits/parse-netstat.js';
import { tcpMemoryPages } from '../../src/domain/limits/parse-sockstat.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { httpJson, takeSnapshot, waitFor, waitForStartupSnapshot } from '../helpers/http-json.js';
import { NetnsScope, removeStaleTestNetns } from '../helpers/netns-scope.js';
import { needsRoot } from '../helpers/privileges.js';
import { startAgent, type Agent } from '../helpers/start-agent.js';
import { openIncident, report } from './scenarios/scenario-kit.js';

const TCP_MEM = '/proc/sys/net/ipv4/tcp_mem';

/**
 * 4 connected pairs on the netns's loopback; once the flag file exists, every client writes until its socket
 * blocks (nobody reads), which charges tens of MB to TCP's host-wide page count within a second.
 */
const PUSH = `
import os, socket, sys, time
flag = sys.argv[1]
srv = socket.socket(); srv.bind(("127.0.0.1", 5558)); srv.listen(4)
clients, peers = [], []
for i in range(4):
    c = socket.socket(); c.connect(("127.0.0.1", 5558)); clients.append(c); peers.append(srv.accept()[0])
print("ready", flush=True)
while not os.path.exists(flag): time.sleep(0.002)
chunk = b"x" * 65536
for c in clients: c.setblocking(False)
idle = 0
while idle < 3:
    sent = 0
    for c in clients:
        try: sent += c.send(chunk)
        except BlockingIOError: pass
    idle = idle + 1 if sent == 0 else 0
    if sent == 0: time.sleep(0.01)
print("pushed", flush=True)
time.sleep(600)
`;

function counterOf(child: ChildProcess, name: string): number {
  return parseNetstat(readFileSync(`/proc/${child.pid}/net/netstat`, 'utf8')).get(name) ?? 0;
}

async function printed(child: ChildProcess, word: string): Promise<void> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(async () => (output.includes(word) ? true : undefined), 15_000, `"${word}" from ${output}`);
}

/*
 * tcp_mem is host-wide: this test lowers its first two fields (min and pressure) to just above the pages TCP
 * holds right now, for about a second, so the netns's own sockets push TCP into memory pressure, then restores
 * the value it read (again in `finally`, whatever happens). The max is never lowered: no allocation fails.
 */
test('TCP memory pressure entered by a netns is counter evidence against the host-wide tcp_mem', async (t) => {
  if (!needsRoot(t)) return;
  await removeStaleTestNetns();
  const scope = new NetnsScope();
  const db = tempDatabase('tcp-memory-pressure');
  const flagDir = mkdtempSync(path.join(tmpdir(), 'kl-tcpmem-'));
  const flag = path.join(flagDir, 'go');
  const original = readFileSync(TCP_MEM, 'utf8').trim();
  let agent: Agent | undefined;
  let lowered = false;
  const restore = (): void => {
    if (!lowered) return;
    writeFileSync(TCP_MEM, original);
    lowered = false;
  };
  try {
    const [, , max] = original.split(/\s+/);
    assert.ok(max, `tcp_mem reads ${original}`);
    const ns = await scope.add('tcpmem');
    await scope.exec(ns, ['ip', 'link', 'set', 'lo', 'up']);
    const pusher = scope.spawnIn(ns, ['python3', '-c', PUSH, flag]);
    await printed(pusher, 'ready');
    agent = await startAgent({ env: { DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' } });
    await waitForStartupSnapshot(agent.baseUrl);
    await takeSnapshot(agent.baseUrl);
    const startedAt = new Date().toISOString();
    const before = counterOf(pusher, 'TcpExt.TCPMemoryPressures');

    const held = tcpMemoryPages(readFileSync('/proc/net/sockstat', 'utf8')) ?? 0;
    const threshold = held + 1024; // 4 MiB above what TCP holds now: the push crosses it, stray traffic hardly
    writeFileSync(TCP_MEM, `${threshold} ${threshold} ${max}`);
    lowered = true;
    writeFileSync(flag, '');
    try {
      await waitFor(
        async () => (counterOf(pusher, 'TcpExt.TCPMemoryPressures') > before ? true : undefined),
        5_000,
        'the netns to enter TCP memory pressure',
      );
    } finally {
      restore();
    }
    const entered = counterOf(pusher, 'TcpExt.TCPMemoryPressures') - before;
    t.diagnostic(`tcp_mem was ${threshold} ${threshold} ${max} for the push; the netns counted ${entered}`);
    await takeSnapshot(agent.baseUrl);

    const limits = await httpJson<LimitsResult>(agent.api, `/limits?namespace=${ns}`);
    assert.equal(limits.status, 200, JSON.stringify(limits.body));
    const pair = limits.body.items.find(
      (i) => i.metric === 'tcp.memory_pressures.total' && i.namespace === limits.body.namespace,
    );
    assert.ok(pair, JSON.stringify(limits.body.items.map((i) => i.metric)));
    assert.deepEqual([pair.kind, pair.limitKey, pair.place], ['counter', 'net.ipv4.tcp_mem', 'set']);
    assert.equal(pair.limit, Number(max), "tcp_mem's max, the host's value (the netns has no tcp_mem)");
    assert.ok(pair.usage >= before + entered);

    const incident = await openIncident(agent, {
      title: 'tcpmem: stalls',
      startedAt,
      endedAt: 'now',
      namespace: ns,
    });
    const body = await report(agent, incident.id);
    const suspect = body.suspects.find((s) => s.key === 'net.ipv4.tcp_mem');
    assert.ok(suspect, JSON.stringify(body.suspects.map((s) => s.key)));
    const evidence = suspect.evidence.find((e) => e.metric === 'tcp.memory_pressures.total');
    assert.equal(evidence?.kind, 'overflowed', JSON.stringify(suspect.evidence));
    assert.equal(evidence.namespace, body.incident.namespace);
    t.diagnostic(suspect.explanation);
    assert.match(
      suspect.explanation,
      /put TCP into memory pressure \d+ times? \([\d.]+\/s\) between \S+ and \S+ against the host-wide tcp_mem \(pressure above its 2nd field, allocations fail above [\d ]+ pages\)/,
    );
  } finally {
    restore();
    assert.equal(readFileSync(TCP_MEM, 'utf8').trim(), original, 'tcp_mem is restored');
    await agent?.close();
    await scope.cleanup();
    db.cleanup();
    rmSync(flagDir, { recursive: true, force: true });
  }
});

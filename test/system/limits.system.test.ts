import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readlinkSync } from 'node:fs';
import { test } from 'node:test';
import { SysvIpcCollector } from '../../src/collectors/sysv-ipc.collector.js';
import type { NamespaceSet } from '../../src/domain/namespaces/namespace-types.js';
import { pairUsageSamples } from '../../src/domain/limits/pair-usage-samples.js';
import type { LimitPairView, LimitsResult } from '../../src/api/limits/limit.views.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { httpJson, waitFor, waitForStartupSnapshot } from '../helpers/http-json.js';
import { startAgent } from '../helpers/start-agent.js';
import { NetnsScope, removeStaleTestNetns } from '../helpers/netns-scope.js';
import { needsRoot } from '../helpers/privileges.js';

const CONNECTIONS = 7;
const RANGE = '40000 40019'; // 20 ports

/**
 * Run by the host's node inside the netns: a listener on 127.0.0.1:5555 (outside the range) and `count` client
 * connections to it, whose local ports come from the narrowed range. The first client closes first, so its
 * socket lingers in TIME_WAIT (still holding its port). Prints "ready" when all are established.
 */
const HOLDER = `
const net = require('node:net');
const count = Number(process.argv[1]);
const server = net.createServer((s) => s.on('error', () => {}));
const clients = [];
server.listen(5555, '127.0.0.1', async () => {
  for (let i = 0; i < count; i++) {
    await new Promise((resolve, reject) => {
      const c = net.connect(5555, '127.0.0.1', resolve).on('error', reject);
      clients.push(c);
    });
  }
  clients[0].end();
  clients[0].on('close', () => process.stdout.write('ready\\n'));
});
setInterval(() => {}, 1000);
`;

test('ports.in_use of a netns counts its sockets in its own narrowed ip_local_port_range', async (t) => {
  if (!needsRoot(t)) return;
  await removeStaleTestNetns();
  const scope = new NetnsScope();
  const db = tempDatabase('limits-system');
  try {
    const ns = await scope.add('ports');
    await scope.exec(ns, ['ip', 'link', 'set', 'lo', 'up']);
    await scope.exec(ns, ['sysctl', '-q', '-w', `net.ipv4.ip_local_port_range=${RANGE}`]);
    const holder = scope.spawnIn(ns, [process.execPath, '-e', HOLDER, String(CONNECTIONS)]);
    let output = '';
    holder.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await Promise.race([
      waitFor(async () => (output.includes('ready') ? true : undefined), 15_000, 'the sockets of the holder'),
      once(holder, 'exit').then(() => {
        throw new Error(`the holder exited early: ${output}`);
      }),
    ]);

    const agent = await startAgent({ env: { DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' } });
    try {
      await waitForStartupSnapshot(agent.baseUrl);
      const snapshot = await httpJson(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
      assert.equal(snapshot.status, 201);
      const res = await httpJson<LimitsResult>(agent.baseUrl, `/api/v1/limits?namespace=${ns}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const byMetric = new Map<string, LimitPairView>(res.body.items.map((i) => [i.metric, i]));
      const ports = byMetric.get('ports.in_use');
      assert.ok(ports, `a ports.in_use pair for ${ns}: ${[...byMetric.keys()].join(', ')}`);
      assert.equal(ports.namespace, res.body.namespace);
      assert.ok(ports.owners.some((o) => o.kind === 'netns' && o.name === ns));
      assert.equal(ports.limit, 20, "the netns's own range, not the host's");
      assert.equal(ports.usage, CONNECTIONS, 'one port per client socket, the TIME_WAIT one included');
      assert.equal(ports.ratio, CONNECTIONS / 20);
      const overflows = byMetric.get('tcp.listen_overflows.total');
      assert.equal(overflows?.kind, 'counter');
      assert.equal(overflows?.ratio, null);
      assert.equal(overflows?.limit, 4096, "the netns's own somaxconn");
      assert.ok(
        res.body.items.every((i) => i.namespace === res.body.namespace),
        'every headline is the netns set',
      );
      const host = await httpJson<LimitsResult>(agent.baseUrl, '/api/v1/limits?namespace=host');
      const hostPorts = host.body.items.find((i) => i.metric === 'ports.in_use');
      assert.notEqual(hostPorts?.limit, 20);
    } finally {
      await agent.close();
    }
  } finally {
    await scope.cleanup();
    db.cleanup();
  }
});

test('SysV IPC objects of another IPC namespace are counted through one nsenter --ipc', async (t) => {
  if (!needsRoot(t)) return;
  // A private IPC namespace with 2 shm segments, 1 queue, 1 semaphore set; sleep keeps it alive.
  const child = spawn(
    'unshare',
    [
      '--ipc',
      'sh',
      '-c',
      'ipcmk -M 4096 && ipcmk -M 4096 && ipcmk -Q && ipcmk -S 2 && echo ready && exec sleep 60',
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(async () => (output.includes('ready') ? true : undefined), 10_000, 'the IPC namespace');
    const pid = child.pid as number;
    const ipc = `/proc/${pid}/ns/ipc`;
    assert.notEqual(readlinkSync(ipc), readlinkSync('/proc/self/ns/ipc'));
    const set: NamespaceSet = {
      identity: 'net:1/ipc:2/uts:3',
      kind: 'process',
      inodes: { net: 1, ipc: 2, uts: 3 },
      differingTypes: ['ipc'],
      entry: { ipc },
      pid,
      owners: [],
    };
    const started = performance.now();
    const output1 = await new SysvIpcCollector().collect({ set, procRoot: '/proc', timeoutMs: 5000 });
    const elapsed = performance.now() - started;
    const own = new Map([
      ['kernel.shmmni', '4096'],
      ['kernel.msgmni', '32000'],
      ['kernel.sem', '32000 1024000000 500 32000'],
    ]);
    const samples = pairUsageSamples(output1.samples ?? [], own);
    assert.deepEqual(
      samples.map((s) => [s.metric, s.usage, s.limit]),
      [
        ['ipc.shm_segments', 2, 4096],
        ['ipc.msg_queues', 1, 32000],
        ['ipc.sem_sets', 1, 32000],
      ],
    );
    process.stdout.write(`# nsenter --ipc read took ${elapsed.toFixed(1)} ms\n`);
  } finally {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  }
});

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readlinkSync } from 'node:fs';
import { test } from 'node:test';
import type { LimitPairView, LimitsResult, UsageResult } from '../../src/api/limits/limit.views.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { DockerScope, dockerAvailable, ensureTestImage } from '../helpers/docker-engine.js';
import { httpJson, takeSnapshot, waitFor, waitForStartupSnapshot } from '../helpers/http-json.js';
import { NetnsScope, removeStaleTestNetns } from '../helpers/netns-scope.js';
import { needsRoot } from '../helpers/privileges.js';
import { startAgent, type Agent } from '../helpers/start-agent.js';
import { envelopeOf, WebhookReceiver } from '../helpers/webhook-receiver.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A listener on 127.0.0.1:<port>; prints "ready" once it listens. */
const LISTENER = `
require('node:net').createServer().listen(Number(process.argv[1]), '127.0.0.1', () => process.stdout.write('ready\\n'));
setInterval(() => {}, 1000);
`;

/**
 * `count` client connections to a listener on 127.0.0.1:5555 (outside the range), whose local ports come from
 * the netns's narrowed range. On SIGTERM every socket is reset (RST: no TIME_WAIT keeps a port) and it exits.
 */
const CONNECTIONS = `
const net = require('node:net');
const count = Number(process.argv[1]);
const sockets = [];
const server = net.createServer((s) => { sockets.push(s); s.on('error', () => {}); });
server.listen(5555, '127.0.0.1', async () => {
  for (let i = 0; i < count; i++) {
    await new Promise((resolve, reject) => {
      const c = net.connect(5555, '127.0.0.1', resolve).on('error', reject);
      sockets.push(c);
    });
  }
  process.stdout.write('ready\\n');
});
process.on('SIGTERM', () => {
  for (const s of sockets) s.resetAndDestroy();
  server.close();
  setTimeout(() => process.exit(0), 200);
});
setInterval(() => {}, 1000);
`;

async function readyOrExit(child: ChildProcess, what: string): Promise<void> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await Promise.race([
    waitFor(async () => (output.includes('ready') ? true : undefined), 15_000, what),
    once(child, 'exit').then(() => {
      throw new Error(`${what} exited early: ${output}`);
    }),
  ]);
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
  await once(child, 'exit');
}

async function portsOf(agent: Agent, namespace: string): Promise<LimitPairView | undefined> {
  const res = await httpJson<LimitsResult>(agent.baseUrl, `/api/v1/limits?namespace=${namespace}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items.find((i) => i.metric === 'ports.in_use' && i.namespace === res.body.namespace);
}

test('a named netns whose listener exited is measured inside the netns, not frozen at its last count', async (t) => {
  if (!needsRoot(t)) return;
  await removeStaleTestNetns();
  const scope = new NetnsScope();
  const db = tempDatabase('netns-usage-exited');
  let agent: Agent | undefined;
  try {
    const ns = await scope.add('exited');
    await scope.exec(ns, ['ip', 'link', 'set', 'lo', 'up']);
    await scope.exec(ns, ['sysctl', '-q', '-w', 'net.ipv4.ip_local_port_range=40000 40019']);
    const listener = scope.spawnIn(ns, [process.execPath, '-e', LISTENER, '40005']);
    await readyOrExit(listener, 'the listener in the netns');

    agent = await startAgent({ env: { DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' } });
    await waitForStartupSnapshot(agent.baseUrl);
    await takeSnapshot(agent.baseUrl);
    const before = await portsOf(agent, ns);
    assert.equal(before?.usage, 1, `the listener's port while it runs: ${JSON.stringify(before)}`);
    assert.equal(before?.limit, 20);

    await stop(listener); // nobody runs in the netns now: it can only be measured by entering it
    await takeSnapshot(agent.baseUrl);
    const after = await portsOf(agent, ns);
    assert.ok(after, 'the netns is still measured once its last process is gone');
    assert.equal(after.usage, 0, 'the port was freed: the usage is measured again, not the last count');
    assert.equal(after.limit, 20, "still the netns's own range, read inside it");
    const snapshots = await httpJson<{ items: { takenAt: string }[] }>(
      agent.baseUrl,
      '/api/v1/snapshots?limit=1',
    );
    assert.equal(after.at, snapshots.body.items[0]?.takenAt, 'the reading is from the latest snapshot');
  } finally {
    await agent?.close();
    await scope.cleanup();
    db.cleanup();
  }
});

test('a shell that joins a container netns with its own UTS namespace: one usage series, one alert naming both', async (t) => {
  if (!needsRoot(t) || !(await dockerAvailable(t))) return;
  await ensureTestImage();
  const docker = new DockerScope();
  const db = tempDatabase('netns-usage-shared');
  const receiver = await WebhookReceiver.start();
  let agent: Agent | undefined;
  let twin: ChildProcess | undefined;
  let load: ChildProcess | undefined;
  try {
    // Saturation is driven for real, with a limit set only inside the container's netns: 20 ephemeral ports.
    const ctr = await docker.run(['--sysctl', 'net.ipv4.ip_local_port_range=40000 40019'], {
      label: 'shared',
    });
    const netns = `/proc/${ctr.pid}/ns/net`;
    twin = spawn('nsenter', [`--net=${netns}`, 'unshare', '--uts', 'sleep', '600'], {
      detached: true,
      stdio: 'ignore',
    });
    const twinPid = twin.pid as number;
    // nsenter execs unshare, which execs sleep: the spawned pid is the shell once both namespaces are set.
    await waitFor(
      async () =>
        readlinkSync(`/proc/${twinPid}/ns/uts`) !== readlinkSync('/proc/self/ns/uts') &&
        readlinkSync(`/proc/${twinPid}/ns/net`) === readlinkSync(netns)
          ? true
          : undefined,
      10_000,
      'the twin shell in the container netns',
    );

    agent = await startAgent({
      env: { DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' },
      webhooks: { WEBHOOK_BACKOFF_BASE_MS: '50' },
    });
    await waitForStartupSnapshot(agent.baseUrl);
    const hook = await httpJson(agent.api, '/webhooks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url(), events: ['limit.saturation'] }),
    });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));

    // 19 of 20 ports in use: critical (95 %). The load runs in the container's own net/ipc/uts namespaces.
    load = spawn(
      'nsenter',
      [`--target=${ctr.pid}`, '--net', '--ipc', '--uts', '--', process.execPath, '-e', CONNECTIONS, '19'],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await readyOrExit(load, 'the connections in the container netns');
    await takeSnapshot(agent.baseUrl);

    const all = await httpJson<LimitsResult>(agent.baseUrl, '/api/v1/limits');
    const ports = all.body.items.find((i) => i.metric === 'ports.in_use');
    const holders = [ports, ...(ports?.top ?? [])].filter((h) => h?.owners.some((o) => o.name === ctr.name));
    const inNetns = (ports?.top ?? []).filter((h) => h.limit === 20);
    assert.equal(inNetns.length, 1, `one ports.in_use series for the netns: ${JSON.stringify(ports?.top)}`);
    assert.ok(holders.length >= 1);
    const held = await portsOf(agent, ctr.name);
    assert.equal(held?.usage, 19);
    assert.deepEqual(
      held?.owners.map((o) => [o.kind, o.name]),
      [
        ['container', ctr.name],
        ['process', 'sleep'],
      ],
      'the container and the shell that joined its netns',
    );
    const twinSet = (
      await httpJson<{ items: { identity: string; owners: { ref: string }[] }[] }>(
        agent.baseUrl,
        '/api/v1/namespaces',
      )
    ).body.items.find((n) => n.owners.some((o) => o.ref === String(twinPid)));
    assert.ok(twinSet, 'the shell is a namespace set of its own (it has its own UTS namespace)');
    const twinUsage = await httpJson<UsageResult>(
      agent.baseUrl,
      `/api/v1/usage?metric=ports.in_use&namespace=${encodeURIComponent(twinSet.identity)}&from=-10m`,
    );
    assert.equal(twinUsage.status, 200, JSON.stringify(twinUsage.body));
    assert.equal(twinUsage.body.points.at(-1)?.usage, 19, "the shell's netns usage is the one series");

    load.kill('SIGTERM'); // every socket reset: the ports are free again
    await once(load, 'exit');
    await takeSnapshot(agent.baseUrl);

    await receiver.waitForDelivered(2, 30_000);
    await sleep(1000);
    const events = receiver.delivered
      .map(envelopeOf)
      .flatMap((e) => e.events)
      .filter((e) => e.data.metric === 'ports.in_use' && e.data.limit === 20);
    assert.deepEqual(
      events.map((e) => [e.data.direction, e.data.level, e.data.usage]),
      [
        ['up', 'critical', 19],
        ['down', 'ok', 0],
      ],
      'one alert and its recovery, not one per set',
    );
    for (const event of events) {
      const owners = event.data.netnsOwners as { kind: string; ref: string; name: string }[];
      assert.deepEqual(
        owners.map((o) => [o.kind, o.kind === 'process' ? o.ref : o.name]),
        [
          ['container', ctr.name],
          ['process', String(twinPid)],
        ],
      );
    }
  } finally {
    await agent?.close();
    await stop(load);
    await stop(twin);
    await docker.cleanup();
    await receiver.down();
    db.cleanup();
  }
});

import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import { test } from 'node:test';
import { runCommand } from '../helpers/docker-engine.js';
import { type RunningAgent, startAgent, tempDatabase } from '../helpers/agent-process.js';
import { httpJson, waitFor } from '../helpers/http-json.js';
import { NetnsScope } from '../helpers/netns-scope.js';
import { needsRoot } from '../helpers/privileges.js';

interface Snapshot {
  id: number;
  namespacesRead: number;
  errors: { target?: string; collector?: string; source?: string; message: string }[];
}

/*
 * File descriptors run out for real: the running agent's RLIMIT_NOFILE is lowered with prlimit(1) and idle
 * TCP connections from this test take the rest, with a named netns on the host so every snapshot must spawn
 * an nsenter helper. A spawn that fails with EMFILE used to throw an unheard 'error' and kill the agent.
 */

const openFds = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Connections that send nothing; `dropped` holds those the agent closed. */
class IdleConnections {
  readonly sockets: net.Socket[] = [];
  readonly dropped = new Set<net.Socket>();

  constructor(private readonly port: number) {}

  open(): void {
    const socket = net.connect(this.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.on('close', () => this.dropped.add(socket));
    socket.resume(); // read what the agent sends (a 408 when it drops the connection), so 'close' follows
    this.sockets.push(socket);
  }

  get allDropped(): boolean {
    return this.dropped.size === this.sockets.length;
  }

  destroy(): void {
    for (const socket of this.sockets) socket.destroy();
  }
}

/** Opens idle connections one at a time until the agent holds `target` descriptors. */
async function fillTo(pid: number, target: number, idle: IdleConnections): Promise<void> {
  while (openFds(pid) < target) {
    const before = openFds(pid);
    idle.open();
    await waitFor(async () => (openFds(pid) > before ? true : undefined), 5000, 'the agent to accept');
  }
}

test(
  'a low nofile with idle connections: the agent stays up, records the failed spawn, recovers by itself',
  { timeout: 300_000 },
  async (t) => {
    if (!needsRoot(t)) return;
    const netns = new NetnsScope();
    const db = tempDatabase('low-nofile');
    let idle: IdleConnections | undefined;
    let agent: RunningAgent | undefined;
    try {
      const name = await netns.add('nofile');
      const netInode = statSync(`/run/netns/${name}`).ino;
      agent = await startAgent({
        DB_PATH: db.dbPath,
        SNAPSHOT_INTERVAL: '3600',
        DOCKER_SOCKET: '/nonexistent/docker.sock',
      });
      const pid = agent.child.pid ?? 0;
      idle = new IdleConnections(Number(new URL(agent.baseUrl).port));
      const first = await httpJson<Snapshot>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
      assert.equal(first.status, 201);
      const ofNetns = (s: Snapshot) => s.errors.filter((e) => e.target?.includes(`net:${netInode}`));
      assert.deepEqual(ofNetns(first.body), [], 'the netns is read while descriptors are plenty');

      // 1. Three descriptors left: enough for this test's request and a directory walk, not for a helper's pipes.
      const limit = openFds(pid) + 30;
      await runCommand('prlimit', ['--pid', String(pid), `--nofile=${limit}:${limit}`]);
      await fillTo(pid, limit - 3, idle);
      const starved = await httpJson<Snapshot>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
      assert.equal(starved.status, 201, 'the snapshot completes');
      const spawnErrors = ofNetns(starved.body);
      assert.ok(
        spawnErrors.some(
          (e) => e.collector === 'sysctl' && /EMFILE.*out of file descriptors/.test(e.message),
        ),
        `the netns target carries the spawn error: ${JSON.stringify(starved.body.errors)}`,
      );
      const health = await httpJson<{ lastSnapshot: { id: number } }>(agent.baseUrl, '/api/v1/health');
      assert.equal(health.body.lastSnapshot.id, starved.body.id, '/health answers and names the last commit');

      // 2. Far more idle connections than descriptors: accepts fail, the agent neither dies nor waits for clients.
      for (let i = 0; i < 200; i++) idle.open();
      await sleep(3000);
      assert.equal(agent.child.exitCode, null, `the agent is alive:\n${agent.output().slice(-2000)}`);
      assert.ok(openFds(pid) >= limit - 1, 'the descriptors are all taken');
      // The agent drops connections that send no request (headersTimeout, checked every 30 s) by itself.
      await waitFor(
        async () => (idle?.allDropped ? true : undefined),
        90_000,
        'the agent to drop every idle connection',
      );

      // 3. Recovered: the netns is read again; nothing committed was lost.
      const after = await httpJson<Snapshot>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
      assert.equal(after.status, 201);
      assert.deepEqual(ofNetns(after.body), [], `recovered: ${JSON.stringify(after.body.errors)}`);
      for (const id of [first.body.id, starved.body.id]) {
        assert.equal(
          (await httpJson(agent.baseUrl, `/api/v1/snapshots/${id}`)).status,
          200,
          `snapshot ${id}`,
        );
      }
      const settings = await httpJson<{ items: { key: string }[] }>(
        agent.baseUrl,
        `/api/v1/namespaces/${name}/settings?prefix=net.core.somaxconn`,
      );
      assert.equal(settings.body.items[0]?.key, 'net.core.somaxconn', 'the netns values are still served');
      assert.equal(agent.child.exitCode, null);

      // 4. SIGTERM is not held up by clients that keep a connection open and send nothing.
      for (let i = 0; i < 5; i++) idle.open();
      await sleep(500);
      const stopping = agent.stop().then(() => 'exited');
      assert.equal(await Promise.race([stopping, sleep(15_000).then(() => 'still running')]), 'exited');
      assert.notEqual(agent.child.signalCode, 'SIGKILL');
    } finally {
      idle?.destroy();
      if (agent) await Promise.race([agent.stop(), sleep(20_000).then(() => agent?.kill9())]);
      await netns.cleanup();
      db.cleanup();
    }
  },
);

import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type RunningAgent, startAgent, tempDatabase } from '../helpers/agent-process.js';
import { DockerScope, dockerAvailable, ensureTestImage, runCommand } from '../helpers/docker-engine.js';
import { straceAvailable, traceFileAccess } from '../helpers/file-access-trace.js';
import { httpJson, waitForStartupSnapshot } from '../helpers/http-json.js';
import { NetnsScope } from '../helpers/netns-scope.js';
import { REQUIRED } from '../helpers/privileges.js';

/**
 * Issue 13 item 7 on the real host: sets sharing the host's netns are listed under a key, secrets never leave
 * the agent (a change of one is still seen), an unset stable_secret is "unset", and a copy of the database on
 * a read-only bind mount is served in postmortem mode without a file created beside it or a look at Docker.
 */

const FASTOPEN = 'net.ipv4.tcp_fastopen_key';
const post: RequestInit = { method: 'POST' };

async function snapshot(agent: RunningAgent): Promise<void> {
  const taken = await httpJson(agent.baseUrl, '/api/v1/snapshots', post);
  assert.equal(taken.status, 201, JSON.stringify(taken.body));
}

/** Every answer a reader can get about the secret, as text: settings, history, diff, export, metrics. */
async function everythingServed(agent: RunningAgent, netns: string, from: number): Promise<string> {
  const paths = [
    `/api/v1/settings/${FASTOPEN}`,
    `/api/v1/settings?prefix=net.ipv4.tcp_fastopen&namespace=${netns}`,
    `/api/v1/settings/${FASTOPEN}/history?namespace=${netns}`,
    `/api/v1/settings/${FASTOPEN}/history`,
    `/api/v1/namespaces/${netns}/settings?prefix=net.ipv`,
    `/api/v1/diff?from=${from}&namespace=${netns}&interfaces=raw&limit=1000`,
    `/api/v1/diff/namespaces?a=host&b=${netns}&interfaces=raw`,
    '/api/v1/export?namespaces=all',
    `/api/v1/snapshots/1?limit=1000`,
  ];
  const bodies = await Promise.all(paths.map((p) => fetch(`${agent.baseUrl}${p}`).then((r) => r.text())));
  const metrics = await fetch(`${agent.baseUrl}/metrics`).then((r) => r.text());
  return [...bodies, metrics].join('\n');
}

/** The fast open key as the kernel prints it (four dash-separated 8-hex-digit words per key). */
const readFastopen = async (netns: NetnsScope, name: string): Promise<string> =>
  (await netns.exec(name, ['cat', `/proc/sys/net/ipv4/tcp_fastopen_key`])).stdout.trim();

function listing(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => {
      const stat = statSync(path.join(dir, name));
      return `${name} ${stat.size} ${stat.mtimeMs}`;
    })
    .sort();
}

describe('smaller truths on the real host (issue 13 item 7)', () => {
  const containers = new DockerScope();
  const netns = new NetnsScope();
  const db = tempDatabase('smaller-truths');
  const copyDir = mkdtempSync(path.join(tmpdir(), 'kl-postmortem-copy-'));
  const mountPoint = mkdtempSync(path.join(tmpdir(), 'kl-postmortem-ro-'));
  let mounted = false;
  let agent: RunningAgent | undefined;
  let ready = false;
  let hostNetName = '';
  let ns = '';
  let hostKey = '';
  let firstKey = '';
  let from = 0;

  before(async (t) => {
    if (!(await dockerAvailable(t))) return;
    if (!straceAvailable()) {
      if (REQUIRED) throw new Error('REQUIRE_DOCKER=1 but strace is missing');
      return;
    }
    await ensureTestImage();
    hostNetName = (await containers.run(['--network', 'host'], { label: 'hostnet' })).name;
    ns = await netns.add('secret');
    netns.spawnIn(ns, ['sleep', '300']);
    hostKey = readFileSync('/proc/sys/net/ipv4/tcp_fastopen_key', 'utf8').trim();
    firstKey = await readFastopen(netns, ns);
    agent = await startAgent({ DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' });
    await waitForStartupSnapshot(agent.baseUrl);
    from = Date.now();
    ready = true;
  });

  after(async () => {
    await agent?.stop();
    if (mounted) await runCommand('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
    rmSync(copyDir, { recursive: true, force: true });
    await containers.cleanup();
    await netns.cleanup();
    db.cleanup();
  });

  test('a --network host container is listed under a net key, sharing the host’s value', async (t) => {
    if (!ready || !agent) return t.skip('no Docker engine or no strace');
    const somaxconn = await httpJson<{
      value: string;
      namespaces: { namespace: string; owners: string[]; value: string | null; sharesHost: boolean }[];
    }>(agent.baseUrl, '/api/v1/settings/net.core.somaxconn');
    assert.equal(somaxconn.status, 200);
    const shared = somaxconn.body.namespaces.find((n) => n.owners.includes(hostNetName));
    assert.ok(shared, `the --network host container is listed: ${JSON.stringify(somaxconn.body.namespaces)}`);
    assert.equal(shared.sharesHost, true);
    assert.equal(shared.value, readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim());
    assert.equal(somaxconn.body.namespaces.find((n) => n.namespace === 'host')?.sharesHost, false);
  });

  test('no answer shows a fast open key, a change of one is seen; an unset stable_secret is unset', async (t) => {
    if (!ready || !agent) return t.skip('no Docker engine or no strace');
    const secondKey = '00000001-00000002-00000003-00000004';
    await netns.exec(ns, ['sh', '-c', `echo ${secondKey} > /proc/sys/net/ipv4/tcp_fastopen_key`]);
    assert.equal(await readFastopen(netns, ns), secondKey);
    await snapshot(agent);
    const served = await everythingServed(agent, ns, from);
    for (const secret of [hostKey, firstKey, secondKey]) {
      for (const word of secret.split(/[-,]/)) {
        if (/^0+$/.test(word)) continue;
        assert.equal(served.includes(word), false, `a word of a fast open key (${word}) was served`);
      }
    }
    const history = await httpJson<{ intervals: { value: string; to: string | null }[] }>(
      agent.baseUrl,
      `/api/v1/settings/${FASTOPEN}/history?namespace=${ns}`,
    );
    assert.equal(history.status, 200);
    assert.equal(history.body.intervals.length, 2, JSON.stringify(history.body));
    const [before1, after1] = history.body.intervals;
    assert.match(before1?.value ?? '', /^sha256:[0-9a-f]{16}$/);
    assert.match(after1?.value ?? '', /^sha256:[0-9a-f]{16}$/);
    assert.notEqual(before1?.value, after1?.value, 'the change of the secret is still seen');
    const stable = await httpJson<{ access: string; value: string }>(
      agent.baseUrl,
      '/api/v1/settings/net.ipv6.conf.lo.stable_secret',
    );
    assert.deepEqual([stable.body.access, stable.body.value], ['secret', 'unset']);
  });

  test('postmortem serves a copy on a read-only bind mount, leaves its folder and Docker alone', async (t) => {
    if (!ready || !agent) return t.skip('no Docker engine or no strace');
    await agent.stop();
    agent = undefined;
    copyFileSync(db.dbPath, path.join(copyDir, 'ledger.sqlite'));
    await runCommand('mount', ['--bind', copyDir, mountPoint]);
    mounted = true;
    await runCommand('mount', ['-o', 'remount,bind,ro', mountPoint]);
    const copy = path.join(mountPoint, 'ledger.sqlite');
    const untouched = listing(mountPoint);
    agent = await startAgent({ DB_PATH: copy, READ_ONLY: 'true', DOCKER_SOCKET: '/var/run/docker.sock' });
    const trace = await traceFileAccess(agent.child.pid ?? 0, path.join(db.dir, 'strace.log'));
    try {
      const health = await httpJson<{ status: string }>(agent.baseUrl, '/api/v1/health');
      assert.equal(health.status, 200, JSON.stringify(health.body));
      const fromCopy = await httpJson<{ intervals: unknown[] }>(
        agent.baseUrl,
        `/api/v1/settings/${FASTOPEN}/history?namespace=${ns}`,
      );
      assert.equal(fromCopy.status, 200, JSON.stringify(fromCopy.body));
      assert.ok(fromCopy.body.intervals.length >= 1);
    } finally {
      await trace.stop();
    }
    assert.deepEqual(trace.linesMentioning('docker.sock'), [], '/health does not probe this host’s Docker');
    await agent.stop();
    agent = undefined;
    assert.deepEqual(listing(mountPoint), untouched, 'nothing created or changed beside the copy');

    // A writable copy is left as untouched as a read-only one: no -wal or -shm beside it afterwards.
    const writableCopy = path.join(copyDir, 'ledger.sqlite');
    const unchanged = listing(copyDir);
    agent = await startAgent({ DB_PATH: writableCopy, READ_ONLY: 'true' });
    assert.equal((await httpJson(agent.baseUrl, `/api/v1/settings/${FASTOPEN}`)).status, 200);
    await agent.stop();
    agent = undefined;
    assert.deepEqual(listing(copyDir), unchanged);
  });
});

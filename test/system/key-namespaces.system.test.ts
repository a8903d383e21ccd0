import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, readlinkSync } from 'node:fs';
import { test } from 'node:test';
import type { SettingDetail } from '../../src/api/settings/setting.views.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { docker, DockerScope, dockerAvailable, ensureTestImage } from '../helpers/docker-engine.js';
import { httpJson, waitFor, waitForStartupSnapshot } from '../helpers/http-json.js';
import { needsRoot } from '../helpers/privileges.js';
import { startAgent, type Agent } from '../helpers/start-agent.js';

const inodeOf = (link: string): number => Number(/\[(\d+)\]/.exec(readlinkSync(link))?.[1]);

async function setting(agent: Agent, key: string): Promise<SettingDetail> {
  const res = await httpJson<SettingDetail>(agent.baseUrl, `/api/v1/settings/${key}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

test("kernel.pid_max of a container is read in the container's pid namespace, and /settings says so", async (t) => {
  if (!needsRoot(t) || !(await dockerAvailable(t))) return;
  await ensureTestImage();
  const scope = new DockerScope();
  const db = tempDatabase('key-namespaces-pid');
  let agent: Agent | undefined;
  try {
    const ctr = await scope.run([], { label: 'pidmax' });
    const inside = (await docker(['exec', ctr.name, 'cat', '/proc/sys/kernel/pid_max'])).trim();
    const host = readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim();
    assert.notEqual(inside, host, 'on this kernel (≥ 6.14) a new pid namespace has its own pid_max');

    agent = await startAgent({ env: { DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' } });
    await waitForStartupSnapshot(agent.baseUrl);
    const pidMax = await setting(agent, 'kernel.pid_max');
    assert.equal(pidMax.scope, 'pid');
    const own = pidMax.namespaces.find((n) => n.owners.includes(ctr.name));
    assert.ok(own, `the container has its own reading: ${JSON.stringify(pidMax.namespaces)}`);
    assert.equal(own.value, inside, "the container's real value, not the host's");
    assert.deepEqual(own.readIn, { type: 'pid', inode: inodeOf(`/proc/${ctr.pid}/ns/pid`) });
    const effective = await httpJson<{ items: { key: string; value: string; source: string }[] }>(
      agent.baseUrl,
      `/api/v1/namespaces/${ctr.name}/settings?prefix=kernel.pid_max`,
    );
    assert.deepEqual(
      effective.body.items.map((i) => [i.key, i.value, i.source]),
      [['kernel.pid_max', inside, 'namespace']],
      'the settings in force inside the container',
    );
    const onHost = pidMax.namespaces.find((n) => n.namespace === 'host');
    assert.equal(onHost?.value, host);
    assert.deepEqual(onHost?.readIn, { type: 'pid', inode: inodeOf('/proc/self/ns/pid') });
  } finally {
    await agent?.close();
    await scope.cleanup();
    db.cleanup();
  }
});

test('user.* keys of a set with its own user namespace are read in that user namespace', async (t) => {
  if (!needsRoot(t)) return;
  const db = tempDatabase('key-namespaces-user');
  let child: ChildProcess | undefined;
  let agent: Agent | undefined;
  try {
    // A process in its own user, net and UTS namespaces, as a rootless runtime makes them.
    child = spawn('unshare', ['--user', '--map-root-user', '--net', '--uts', 'sleep', '600'], {
      detached: true,
      stdio: 'ignore',
    });
    const pid = child.pid as number;
    await waitFor(
      async () =>
        readlinkSync(`/proc/${pid}/ns/user`) !== readlinkSync('/proc/self/ns/user') &&
        readlinkSync(`/proc/${pid}/ns/net`) !== readlinkSync('/proc/self/ns/net')
          ? true
          : undefined,
      10_000,
      'the process in its own user namespace',
    );
    const host = readFileSync('/proc/sys/user/max_net_namespaces', 'utf8').trim();

    agent = await startAgent({ env: { DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' } });
    await waitForStartupSnapshot(agent.baseUrl);
    const key = await setting(agent, 'user.max_net_namespaces');
    assert.equal(key.scope, 'user');
    const own = key.namespaces.find((n) => n.namespace.startsWith(`net:${inodeOf(`/proc/${pid}/ns/net`)}/`));
    assert.ok(own, `the process's set has its own reading: ${JSON.stringify(key.namespaces)}`);
    assert.equal(own.value, '2147483647', 'a child user namespace shows its own (unlimited) value');
    assert.notEqual(own.value, host);
    assert.deepEqual(own.readIn, { type: 'user', inode: inodeOf(`/proc/${pid}/ns/user`) });
  } finally {
    await agent?.close();
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid, 'SIGKILL');
      await once(child, 'exit');
    }
    db.cleanup();
  }
});

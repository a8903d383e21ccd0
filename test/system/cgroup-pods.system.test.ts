import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { type RunningAgent, startAgent, tempDatabase } from '../helpers/agent-process.js';
import { removeTestKubepods, TEST_KUBEPODS } from '../helpers/cgroup-tree.js';
import { httpJson } from '../helpers/http-json.js';
import { needsRoot } from '../helpers/privileges.js';

/** One hierarchy to place the process in: the unified one (v2), else v1's pids controller. */
const CGROUP_BASE = existsSync('/sys/fs/cgroup/cgroup.controllers')
  ? '/sys/fs/cgroup'
  : '/sys/fs/cgroup/pids';

/**
 * No CRI socket: a process in its own net/ipc/uts namespaces, moved into a real kubelet-style cgroup
 * (`kubepods…/pod<uid>/cri-containerd-<id>.scope`), with the kubelet's log directories for its pod on disk,
 * is named as that pod, with its container, and found by `pod:<namespace>/<pod>` and by container name.
 */
test('without a CRI, a pod is named from its real cgroup and the kubelet log directories', async (t) => {
  if (!needsRoot(t)) return;
  const uid = randomUUID();
  const containerId = randomBytes(32).toString('hex');
  const logs = mkdtempSync(path.join(tmpdir(), 'kl-pod-logs-'));
  const podLogRoot = path.join(logs, 'pods');
  mkdirSync(path.join(podLogRoot, `kl-shop_cart-7d9f_${uid}`, 'cart-api'), { recursive: true });
  mkdirSync(path.join(logs, 'containers'));
  writeFileSync(path.join(logs, 'containers', `cart-7d9f_kl-shop_cart-api-${containerId}.log`), '');
  const leaf = path.join(
    CGROUP_BASE,
    TEST_KUBEPODS,
    'besteffort',
    `pod${uid}`,
    `cri-containerd-${containerId}.scope`,
  );
  const db = tempDatabase('cgroup-pods');
  const sleeper = spawn('unshare', ['--net', '--ipc', '--uts', 'sleep', '300'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => sleeper.once('exit', resolve));
  let agent: RunningAgent | undefined;
  try {
    assert.ok(sleeper.pid);
    mkdirSync(leaf, { recursive: true });
    writeFileSync(path.join(leaf, 'cgroup.procs'), String(sleeper.pid));
    const running = await startAgent({
      DB_PATH: db.dbPath,
      SNAPSHOT_INTERVAL: '3600',
      CRI_SOCKET: 'none',
      POD_LOG_ROOT: podLogRoot,
    });
    agent = running;
    assert.equal((await httpJson(running.baseUrl, '/api/v1/snapshots', { method: 'POST' })).status, 201);
    for (const name of ['pod:kl-shop/cart-7d9f', 'cart-api']) {
      const detail = await httpJson<{ kind: string; owners: Record<string, unknown>[] }>(
        running.baseUrl,
        `/api/v1/namespaces/${encodeURIComponent(name)}`,
      );
      assert.equal(detail.status, 200, name);
      assert.equal(detail.body.kind, 'pod');
      const pod = detail.body.owners.find((o) => o.kind === 'pod');
      assert.deepEqual(
        [pod?.namespace, pod?.name, pod?.uid, pod?.pid, pod?.containers],
        ['kl-shop', 'cart-7d9f', uid, sleeper.pid, [{ name: 'cart-api', image: '', id: containerId }]],
      );
    }
  } finally {
    await agent?.stop();
    sleeper.kill('SIGKILL');
    await exited;
    removeTestKubepods();
    rmSync(logs, { recursive: true, force: true });
    db.cleanup();
  }
});

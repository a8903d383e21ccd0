import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { startAgent, tempDatabase } from '../helpers/agent-process.js';
import { dockerAvailable, DockerScope, ensureTestImage } from '../helpers/docker-engine.js';
import { httpJson } from '../helpers/http-json.js';
import { needsPodman, PODMAN_SOCKET, PodmanScope } from '../helpers/podman-engine.js';

const DOCKER_SOCKET = '/var/run/docker.sock';
/** The name `podman load` gives the test image copied from Docker (.ci/start-podman.sh). */
const PODMAN_IMAGE = 'localhost/kernel-ledger-test/busybox:latest';

interface Owner {
  kind: string;
  name: string;
  ref: string;
  image: string | null;
  declaredSysctls: Record<string, string> | null;
}
interface NamespaceItem {
  id: number;
  kind: string;
  owners: Owner[];
}

function somaxconnIn(pid: number): string {
  return execFileSync('nsenter', [`--net=/proc/${pid}/ns/net`, 'cat', '/proc/sys/net/core/somaxconn'], {
    encoding: 'utf8',
  }).trim();
}

/**
 * A real podman (Debian's, beside the Docker engine) through its Docker-compatible API socket: one agent with
 * DOCKER_SOCKET listing Docker's and podman's names a podman container and a Docker container started at the
 * same time, each in its own set, and reads the sysctl each declared inside its own network namespace.
 */
test('podman containers are named through its Docker-compatible socket, beside Docker containers', async (t) => {
  if (!(await needsPodman(t)) || !(await dockerAvailable(t))) return;
  await ensureTestImage();
  const db = tempDatabase('podman');
  const pods = new PodmanScope();
  const scope = new DockerScope();
  const agent = await startAgent({
    DB_PATH: db.dbPath,
    SNAPSHOT_INTERVAL: '3600',
    CRI_SOCKET: 'none',
    DOCKER_SOCKET: `${DOCKER_SOCKET},${PODMAN_SOCKET}`,
  });
  try {
    const [fromPodman, fromDocker] = await Promise.all([
      pods.run(['--sysctl', 'net.core.somaxconn=1234'], 'podman'),
      scope.run(['--sysctl', 'net.core.somaxconn=2345'], { label: 'beside-podman' }),
    ]);
    assert.equal(somaxconnIn(fromPodman.pid), '1234', 'podman applied the declared sysctl');
    assert.equal(somaxconnIn(fromDocker.pid), '2345', 'Docker applied the declared sysctl');

    const snapshot = await httpJson<{ errors: { source: string; message: string }[] }>(
      agent.baseUrl,
      '/api/v1/snapshots',
      { method: 'POST' },
    );
    assert.equal(snapshot.status, 201);
    assert.deepEqual(
      snapshot.body.errors.filter((e) => e.source === 'docker'),
      [],
      'both engines answered',
    );

    const listed = await httpJson<{ items: NamespaceItem[] }>(agent.baseUrl, '/api/v1/namespaces');
    const ownerOf = (ref: string): { set: NamespaceItem; owner: Owner } => {
      for (const set of listed.body.items) {
        const owner = set.owners.find((o) => o.ref === ref);
        if (owner) return { set, owner };
      }
      assert.fail(`no owner ${ref} in ${JSON.stringify(listed.body.items.map((s) => s.owners))}`);
    };
    const podmanOwner = ownerOf(fromPodman.id);
    assert.deepEqual(
      [podmanOwner.set.kind, podmanOwner.owner.kind, podmanOwner.owner.name, podmanOwner.owner.image],
      ['container', 'container', fromPodman.name, PODMAN_IMAGE],
    );
    // podman's inspect has no HostConfig.Sysctls: the declared ones come from the line that created it.
    assert.deepEqual(podmanOwner.owner.declaredSysctls, { 'net.core.somaxconn': '1234' });
    const detail = await httpJson<{ id: number; declaredMismatches: unknown[] }>(
      agent.baseUrl,
      `/api/v1/namespaces/${encodeURIComponent(fromPodman.name)}`,
    );
    assert.deepEqual(
      [detail.status, detail.body.id, detail.body.declaredMismatches],
      [200, podmanOwner.set.id, []],
    );
    const dockerOwner = ownerOf(fromDocker.id);
    assert.deepEqual(
      [dockerOwner.owner.kind, dockerOwner.owner.name, dockerOwner.owner.declaredSysctls],
      ['container', fromDocker.name, { 'net.core.somaxconn': '2345' }],
    );
    assert.notEqual(podmanOwner.set.id, dockerOwner.set.id, 'each container has its own set');

    // The effective values, read by the agent in each container's netns, under each container's name.
    for (const [name, value] of [
      [fromPodman.name, '1234'],
      [fromDocker.name, '2345'],
    ] as const) {
      const settings = await httpJson<{ items: { key: string; value: string | null }[] }>(
        agent.baseUrl,
        `/api/v1/namespaces/${encodeURIComponent(name)}/settings?prefix=net.core.somaxconn`,
      );
      assert.equal(settings.status, 200, name);
      assert.deepEqual(
        settings.body.items.filter((i) => i.key === 'net.core.somaxconn').map((i) => i.value),
        [value],
        name,
      );
    }
  } finally {
    await agent.stop();
    await pods.cleanup();
    await scope.cleanup();
    db.cleanup();
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CollectionTarget, Collector, CollectorOutput } from '../../src/collectors/collector.js';
import { defaultCollectors } from '../../src/collectors/collectors.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { docker, DockerScope, dockerAvailable, ensureTestImage } from '../helpers/docker-engine.js';
import { httpJson, waitForStartupSnapshot } from '../helpers/http-json.js';
import { startAgent } from '../helpers/start-agent.js';
import { needsRoot } from '../helpers/privileges.js';

interface Snapshot {
  id: number;
  namespacesRead: number;
  errors: { target?: string; collector?: string; source?: string; message: string }[];
  changes: { namespace: string; kind: string }[];
  interfaces: { namespace: string; interface: string; kind: string }[];
}

/** Kills one container after discovery found it and before its keys are read: "stopped during a snapshot". */
class StopContainerOnce implements Collector {
  readonly id = 'test-stopper';
  private armed = false;
  constructor(private readonly containerName: string) {}
  arm(): void {
    this.armed = true;
  }
  async collect(target: CollectionTarget): Promise<CollectorOutput> {
    if (
      this.armed &&
      target.set.owners.some((o) => o.kind === 'container' && o.name === this.containerName)
    ) {
      this.armed = false;
      await docker(['kill', this.containerName]);
    }
    return {};
  }
}

test('a container stopped during a snapshot is an error on that snapshot, which still completes', async (t) => {
  if (!needsRoot(t) || !(await dockerAvailable(t))) return;
  await ensureTestImage();
  const scope = new DockerScope();
  const db = tempDatabase('vanishing');
  try {
    const victim = await scope.run([], { label: 'victim' });
    const survivor = await scope.run(['--sysctl', 'net.core.somaxconn=2048'], { label: 'survivor' });
    const stopper = new StopContainerOnce(victim.name);
    const agent = await startAgent({
      env: { DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' },
      collectors: [stopper, ...defaultCollectors()],
    });
    try {
      await waitForStartupSnapshot(agent.baseUrl);
      stopper.arm();
      const during = await httpJson<Snapshot>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
      assert.equal(during.status, 201, 'the snapshot completed');
      const error = during.body.errors.find((e) => e.collector === 'sysctl');
      assert.ok(error, `an error entry names the vanished target: ${JSON.stringify(during.body.errors)}`);
      assert.match(error.message, /vanish|no such|exited|not exist|ENOENT/i);
      assert.deepEqual(
        during.body.changes.filter((c) => c.namespace === error.target),
        [],
        'a failed read never looks like every key removed',
      );
      assert.deepEqual(
        during.body.interfaces.filter((i) => i.namespace === error.target),
        [],
        'nor like its network devices vanished',
      );
      const survivorSettings = await httpJson<{ items: { value: string }[] }>(
        agent.baseUrl,
        `/api/v1/namespaces/${survivor.name}/settings?prefix=net.core.somaxconn`,
      );
      assert.equal(survivorSettings.body.items[0]?.value, '2048', 'other sets were read');

      const after = await httpJson<Snapshot>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
      assert.deepEqual(after.body.errors, []);
      assert.ok(
        after.body.changes.some((c) => c.kind === 'removed' && c.namespace !== 'host'),
        'the next snapshot closes the vanished set’s values',
      );
      const listed = await httpJson<{ items: { owners: { name: string }[] }[] }>(
        agent.baseUrl,
        '/api/v1/namespaces',
      );
      assert.equal(
        listed.body.items.some((n) => n.owners.some((o) => o.name === victim.name)),
        false,
      );
      const history = await httpJson<{ intervals: { to: string | null }[] }>(
        agent.baseUrl,
        `/api/v1/settings/net.core.somaxconn/history?namespace=${victim.name}`,
      );
      assert.equal(history.status, 200, 'a vanished container still resolves for history');
      assert.ok(history.body.intervals.length === 1 && history.body.intervals[0]?.to !== null);
    } finally {
      await agent.close();
    }
  } finally {
    await scope.cleanup();
    db.cleanup();
  }
});

test('Docker down is a normal state: the snapshot completes and /health says the engine is unreachable', async () => {
  const db = tempDatabase('no-docker');
  const agent = await startAgent({
    env: { DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600', DOCKER_SOCKET: '/nonexistent/docker.sock' },
  });
  try {
    const snapshot = await httpJson<Snapshot>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
    assert.equal(snapshot.status, 201);
    assert.ok(snapshot.body.namespacesRead >= 1);
    assert.ok(snapshot.body.errors.some((e) => e.source === 'docker' && /unreachable/.test(e.message)));
    const health = await httpJson<{ docker: { reachable: boolean; message: string } }>(
      agent.baseUrl,
      '/api/v1/health',
    );
    assert.equal(health.body.docker.reachable, false);
    assert.match(health.body.docker.message, /nonexistent/);
  } finally {
    await agent.close();
    db.cleanup();
  }
});

import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { describe, test } from 'node:test';
import { conntrackCount, createTrackedFlows } from '../helpers/conntrack-traffic.js';
import {
  DockerScope,
  dockerAvailable,
  ensureTestImage,
  isStaleTestName,
  listTestContainers,
  removeStaleTestContainers,
  runCommand,
  TEST_IMAGE,
} from '../helpers/docker-engine.js';
import { listTestNetns, NetnsScope, removeStaleTestNetns } from '../helpers/netns-scope.js';
import { needsRoot } from '../helpers/privileges.js';

/** Left over `kl-test-` resources: everything except those of another test process running right now. */
const leftovers = (names: string[]): string[] =>
  names.filter((name) => name.startsWith(`kl-test-${process.pid}-`) || isStaleTestName(name));

describe('system test fixtures: Docker engine, named netns, conntrack traffic', () => {
  test('a container started with --sysctl reads it in its own net namespace, and is removed', async (t) => {
    if (!needsRoot(t) || !(await dockerAvailable(t))) return;
    await removeStaleTestContainers();
    assert.equal(await ensureTestImage(), TEST_IMAGE);
    const scope = new DockerScope();
    try {
      const container = await scope.run(['--sysctl', 'net.core.somaxconn=1024'], { label: 'somaxconn' });
      assert.ok(container.pid > 0 && /^[0-9a-f]{64}$/.test(container.id));
      assert.notEqual(readlinkSync(`/proc/${container.pid}/ns/net`), readlinkSync('/proc/self/ns/net'));
      const { stdout } = await runCommand('nsenter', [
        `--net=/proc/${container.pid}/ns/net`,
        'cat',
        '/proc/sys/net/core/somaxconn',
      ]);
      assert.equal(stdout.trim(), '1024');
      // A start that fails still leaves a created container: the scope must remove it too.
      await assert.rejects(scope.run(['--sysctl', 'net.ipv4.kl_no_such_key=1'], { label: 'bad' }));
      assert.equal(scope.containerNames.length, 2);
    } finally {
      await scope.cleanup();
    }
    assert.deepEqual(leftovers(await listTestContainers()), []);
  });

  test('tracked flows in a test-made netns raise its conntrack count, and the netns is removed', async (t) => {
    if (!needsRoot(t)) return;
    await removeStaleTestNetns();
    const count = 50;
    const scope = new NetnsScope();
    let sleeper: ChildProcess | undefined;
    try {
      const ns = await scope.add('conntrack');
      sleeper = scope.spawnIn(ns, ['sleep', '3600']);
      const before = await conntrackCount(ns);
      await createTrackedFlows(ns, count);
      const after = await conntrackCount(ns);
      process.stdout.write(`# conntrack count in ${ns}: ${before} -> ${after} after ${count} flows\n`);
      assert.ok(after - before >= count, `count rose by ${after - before}, expected >= ${count}`);
      assert.ok(after - before <= count + 5, `count rose by ${after - before}, expected about ${count}`);
      assert.equal(sleeper.exitCode, null, 'the process spawned in the netns runs until cleanup');
    } finally {
      await scope.cleanup();
    }
    assert.equal(sleeper?.signalCode, 'SIGKILL');
    assert.deepEqual(leftovers(await listTestNetns()), []);
  });
});

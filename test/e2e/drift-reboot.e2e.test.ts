import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DiffResult } from '../../src/api/diff/diff.views.js';
import type { DriftResult } from '../../src/api/drift/drift.views.js';
import type { SettingHistory } from '../../src/api/settings/setting.views.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { FakeProcRoot, isolatedEnv } from '../helpers/fake-proc-root.js';
import { httpJson } from '../helpers/http-json.js';
import { type Agent, startAgent } from '../helpers/start-agent.js';

const post: RequestInit = { method: 'POST' };

/**
 * Reboots are facts: the agent on a procfs root whose boot id changes between two snapshots (as a reboot
 * changes /proc/sys/kernel/random/boot_id). A value first read after the new boot id is marked `atReboot`
 * in the key's history, the history lists the reboot, and drift first seen then is marked too; a value
 * changed while the same kernel ran is not.
 */
describe('reboot boundaries in history and drift', () => {
  const db = tempDatabase('drift-reboot');
  const proc = new FakeProcRoot({
    'kernel.ostype': 'Linux',
    'kernel.random.boot_id': 'boot-one',
    'net.core.somaxconn': '4096',
    'vm.swappiness': '60',
  });
  const env = isolatedEnv(proc.dir, db.dbPath);
  let agent: Agent;

  before(async () => {
    const confDir = path.join(env.SYSCTL_CONF_ROOT ?? '', 'etc', 'sysctl.d');
    mkdirSync(confDir, { recursive: true });
    writeFileSync(path.join(confDir, '90-tuning.conf'), 'vm.swappiness = 10\n');
    agent = await startAgent({ env, background: false });
  });

  after(async () => {
    await agent?.close();
    db.cleanup();
    proc.cleanup();
  });

  test('a change across a reboot is told apart from one made while running', async () => {
    assert.equal((await httpJson(agent.api, '/snapshots', post)).status, 201);
    proc.set({ 'net.core.somaxconn': '8192' }); // while running
    assert.equal((await httpJson(agent.api, '/snapshots', post)).status, 201);
    proc.set({ 'kernel.random.boot_id': 'boot-two', 'net.core.somaxconn': '4096', 'vm.swappiness': '30' });
    assert.equal((await httpJson(agent.api, '/snapshots', post)).status, 201);

    const history = await httpJson<SettingHistory>(agent.api, '/settings/net.core.somaxconn/history');
    assert.equal(history.status, 200);
    assert.deepEqual(
      history.body.intervals.map((i) => [i.value, i.atReboot]),
      [
        ['4096', false],
        ['8192', false],
        ['4096', true],
      ],
    );
    assert.deepEqual(
      history.body.reboots.map((r) => [r.bootId, r.previousBootId]),
      [['boot-two', 'boot-one']],
    );
    assert.equal(history.body.reboots[0]?.firstSeenAt, history.body.intervals[2]?.from);
    const diff = await httpJson<DiffResult>(agent.api, `/diff?from=${history.body.intervals[0]?.from ?? ''}`);
    assert.equal(diff.status, 200);
    assert.deepEqual(
      diff.body.reboots.map((r) => r.bootId),
      ['boot-two'],
    );

    // vm.swappiness drifted from the start (60 ≠ 10), and again with another value after the reboot: one
    // drift, still open since the first snapshot, its runtime value brought up to date.
    const drift = await httpJson<DriftResult>(agent.api, '/drift');
    assert.deepEqual(
      drift.body.items.map((i) => [i.key, i.runtime, i.configured, i.atReboot]),
      [['vm.swappiness', '30', '10', false]],
    );
  });

  test('drift first seen after a reboot is marked atReboot', async () => {
    proc.set({ 'kernel.random.boot_id': 'boot-three', 'net.core.somaxconn': '1024' });
    writeFileSync(
      path.join(env.SYSCTL_CONF_ROOT ?? '', 'etc', 'sysctl.d', '95-somaxconn.conf'),
      'net.core.somaxconn = 4096\n',
    );
    assert.equal((await httpJson(agent.api, '/snapshots', post)).status, 201);
    const drift = await httpJson<DriftResult>(agent.api, '/drift');
    assert.deepEqual(
      drift.body.items.map((i) => [i.key, i.source.file, i.atReboot]),
      [
        ['net.core.somaxconn', '/etc/sysctl.d/95-somaxconn.conf', true],
        ['vm.swappiness', '/etc/sysctl.d/90-tuning.conf', false],
      ],
    );
  });

  test('the reboots of a window are those whose first snapshot falls in it, a boot seen again included', async () => {
    const reboots = async (query: string) => {
      const history = await httpJson<SettingHistory>(
        agent.api,
        `/settings/net.core.somaxconn/history${query}`,
      );
      assert.equal(history.status, 200);
      return history.body.reboots.map((r) => [r.bootId, r.previousBootId, r.firstSeenAt]);
    };
    const all = await reboots('');
    assert.deepEqual(
      all.map(([boot, previous]) => [boot, previous]),
      [
        ['boot-two', 'boot-one'],
        ['boot-three', 'boot-two'],
      ],
    );
    const [two, three] = all.map((r) => Date.parse(r[2] ?? ''));
    assert.deepEqual(await reboots(`?to=${(three ?? 0) - 1}`), all.slice(0, 1));
    assert.deepEqual(await reboots(`?from=${(two ?? 0) + 1}`), all.slice(1));
    assert.deepEqual(await reboots(`?from=${two}&to=${three}`), all);

    // A boot id seen again after another (a copied or restored file): still a reboot at each change.
    proc.set({ 'kernel.random.boot_id': 'boot-two' });
    assert.equal((await httpJson(agent.api, '/snapshots', post)).status, 201);
    const again = await reboots('');
    assert.deepEqual(
      again.map(([boot, previous]) => [boot, previous]),
      [
        ['boot-two', 'boot-one'],
        ['boot-three', 'boot-two'],
        ['boot-two', 'boot-three'],
      ],
    );
    const diff = await httpJson<DiffResult>(agent.api, `/diff?from=${three}`);
    assert.deepEqual(
      diff.body.reboots.map((r) => [r.bootId, r.previousBootId]),
      [
        ['boot-three', 'boot-two'],
        ['boot-two', 'boot-three'],
      ],
    );
  });
});

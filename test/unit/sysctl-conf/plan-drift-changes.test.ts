import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigDrift } from '../../../src/domain/sysctl-conf/find-config-drift.js';
import { planDriftChanges, type StoredDrift } from '../../../src/domain/sysctl-conf/plan-drift-changes.js';
import { rebootBetween } from '../../../src/domain/history/reboot-between.js';

const FILE = '/etc/sysctl.d/90-tuning.conf';

function found(key: string, runtime: string | null, configured: string, line = 1): ConfigDrift {
  return {
    key,
    runtime,
    configured,
    source: { file: FILE, line },
    glob: null,
    kind: runtime === null ? 'unknown-key' : 'differs',
  };
}

function stored(key: string, runtime: string | null, configured: string, line = 1): StoredDrift {
  return {
    key,
    runtime,
    configured,
    source: { file: FILE, line },
    unknownToKernel: runtime === null,
    since: 1000,
  };
}

const open = new Map([
  ['net.core.somaxconn', stored('net.core.somaxconn', '4096', '65535')],
  ['vm.swappiness', stored('vm.swappiness', '60', '10', 2)],
  ['net.core.no_such_key', stored('net.core.no_such_key', null, '1', 3)],
]);

test('the same drift again plans nothing', () => {
  const again = [
    found('net.core.somaxconn', '4096', '65535'),
    found('vm.swappiness', '60', '10', 2),
    found('net.core.no_such_key', null, '1', 3),
  ];
  assert.deepEqual(planDriftChanges(open, again), { appeared: [], ended: [], updated: [] });
});

test('new drift appears, drift no longer found ends, drift whose values moved is updated in place', () => {
  const plan = planDriftChanges(open, [
    found('kernel.pid_max', '32768', '4194304'),
    found('net.core.somaxconn', '8192', '65535'),
    found('net.core.no_such_key', null, '1', 4),
  ]);
  assert.deepEqual(
    plan.appeared.map((d) => d.key),
    ['kernel.pid_max'],
  );
  assert.deepEqual(
    plan.ended.map((d) => [d.key, d.since]),
    [['vm.swappiness', 1000]],
  );
  assert.deepEqual(
    plan.updated.map((d) => [d.key, d.runtime, d.source.line]),
    [
      ['net.core.no_such_key', null, 4],
      ['net.core.somaxconn', '8192', 1],
    ],
  );
});

test('a key the kernel gains (a module loaded) stays one drift, updated from unknown to differing', () => {
  const plan = planDriftChanges(open, [found('net.core.no_such_key', '0', '1', 3)]);
  assert.deepEqual(
    plan.updated.map((d) => [d.key, d.kind]),
    [['net.core.no_such_key', 'differs']],
  );
  assert.deepEqual(
    plan.ended.map((d) => d.key),
    ['net.core.somaxconn', 'vm.swappiness'],
  );
});

test('a reboot is two known, different boot ids; an unknown id proves nothing', () => {
  assert.equal(rebootBetween('a', 'b'), true);
  assert.equal(rebootBetween('a', 'a'), false);
  assert.equal(rebootBetween(null, 'b'), false);
  assert.equal(rebootBetween('a', null), false);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planConfiguredChanges } from '../../../src/domain/sysctl-conf/plan-configured-changes.js';
import type { ConfiguredValue } from '../../../src/domain/sysctl-conf/sysctl-conf-types.js';

function at(key: string, value: string, file = '/etc/sysctl.d/90-tuning.conf', line = 1): ConfiguredValue {
  return { key, value, source: { file, line }, glob: null, ignoreFailure: false };
}

const stored = new Map([
  ['net.core.somaxconn', at('net.core.somaxconn', '4096')],
  ['vm.swappiness', at('vm.swappiness', '10', '/etc/sysctl.d/90-tuning.conf', 2)],
  ['fs.file-max', at('fs.file-max', '100000', '/etc/sysctl.conf', 1)],
]);

test('unchanged configuration plans nothing', () => {
  assert.deepEqual(planConfiguredChanges(stored, new Map(stored)), { opened: [], closed: [] });
});

test('a new value, a moved line and a removed key are changes; a new key opens', () => {
  const read = new Map([
    ['net.core.somaxconn', at('net.core.somaxconn', '65535')],
    ['vm.swappiness', at('vm.swappiness', '10', '/etc/sysctl.d/90-tuning.conf', 3)],
    ['kernel.pid_max', at('kernel.pid_max', '4194304', '/usr/lib/sysctl.d/50-pid-max.conf')],
  ]);
  const plan = planConfiguredChanges(stored, read);
  assert.deepEqual(
    plan.opened.map((c) => [c.key, c.value, c.source.line]),
    [
      ['kernel.pid_max', '4194304', 1],
      ['net.core.somaxconn', '65535', 1],
      ['vm.swappiness', '10', 3],
    ],
  );
  assert.deepEqual(plan.closed, ['fs.file-max', 'net.core.somaxconn', 'vm.swappiness']);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planTargetChanges } from '../../../src/domain/history/plan-target-changes.js';
import type { SysctlReading } from '../../../src/domain/sysctl/sysctl-types.js';

const isVolatile = (key: string): boolean => key === 'fs.file-nr';

const readings: SysctlReading[] = [
  { key: 'fs.file-max', access: 'readable', value: '9223372036854775807' },
  { key: 'fs.file-nr', access: 'readable', value: '1344\t0\t9223372036854775807' },
  { key: 'vm.drop_caches', access: 'write-only', value: null },
  { key: 'net.ipv6.conf.lo.stable_secret', access: 'unreadable', value: null, error: 'EIO' },
  { key: 'net.ipv4.tcp_mem', access: 'readable', value: '93135\t124181\t186270' },
];

test('first pass: every setting is added, counters and write-only keys are not history', () => {
  const plan = planTargetChanges(new Map(), readings, isVolatile, true);
  assert.deepEqual(
    plan.changes.map((c) => [c.key, c.kind, c.after]),
    [
      ['fs.file-max', 'added', '9223372036854775807'],
      ['net.ipv4.tcp_mem', 'added', '93135\t124181\t186270'],
      ['net.ipv6.conf.lo.stable_secret', 'added', null],
    ],
  );
  assert.deepEqual(plan.volatileValues, [{ key: 'fs.file-nr', value: '1344\t0\t9223372036854775807' }]);
  assert.equal(plan.nextState.has('vm.drop_caches'), false);
});

test('idle pass: no changes even though the counter moved', () => {
  const first = planTargetChanges(new Map(), readings, isVolatile, true);
  const moved = readings.map((r) => (r.key === 'fs.file-nr' ? { ...r, value: '2000\t0\t9' } : r));
  const second = planTargetChanges(first.nextState, moved, isVolatile, true);
  assert.deepEqual(second.changes, []);
  assert.deepEqual(second.volatileValues, [{ key: 'fs.file-nr', value: '2000\t0\t9' }]);
  assert.equal(second.nextState, first.nextState, 'an unchanged state is kept, not copied');
});

test('a key that disappears is removed, one that appears is added', () => {
  const first = planTargetChanges(new Map(), readings, isVolatile, true);
  const next = [
    ...readings.filter((r) => r.key !== 'net.ipv4.tcp_mem'),
    { key: 'net.ipv4.conf.veth1.forwarding', access: 'readable', value: '1' } as const,
  ];
  const plan = planTargetChanges(first.nextState, next, isVolatile, true);
  assert.deepEqual(
    plan.changes.map((c) => [c.key, c.kind]),
    [
      ['net.ipv4.conf.veth1.forwarding', 'added'],
      ['net.ipv4.tcp_mem', 'removed'],
    ],
  );
});

test('an incomplete read never turns missing keys into removals', () => {
  const first = planTargetChanges(new Map(), readings, isVolatile, true);
  const plan = planTargetChanges(first.nextState, [], isVolatile, false);
  assert.deepEqual(plan.changes, []);
  assert.equal(plan.nextState.get('fs.file-max'), '9223372036854775807');
});

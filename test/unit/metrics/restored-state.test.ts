import assert from 'node:assert/strict';
import { test } from 'node:test';
import { restoredStateOf } from '../../../src/metrics/restored-state.js';

const CHILD = 'net:1/ipc:2/uts:3';

test('stored samples of the sets alive at the last snapshot become gauges with their owners', () => {
  const state = restoredStateOf(
    { taken_at: 5000, duration_ms: 80, keys_read: 1500 },
    [
      { id: 1, identity: 'host', kind: 'host' },
      { id: 2, identity: CHILD, kind: 'process' },
    ],
    [
      { namespace_id: 1, kind: 'process', name: 'systemd', pid: 1 },
      { namespace_id: 2, kind: 'process', name: 'unbound', pid: 812 },
    ],
    [
      { namespace_id: 1, metric: 'files.allocated', usage: 300, limit_value: 1200 },
      { namespace_id: 2, metric: 'conntrack.drop.total', usage: 4, limit_value: 100 },
      { namespace_id: 9, metric: 'files.allocated', usage: 1, limit_value: 2 },
    ],
  );
  assert.deepEqual(state.lastSnapshot, { takenAt: 5000, durationMs: 80, keysRead: 1500 });
  assert.deepEqual(state.setKinds, ['host', 'process']);
  assert.deepEqual(state.usage, [
    { metric: 'files.allocated', namespace: 'host', owner: 'host', usage: 300, limit: 1200, ratio: 0.25 },
    {
      metric: 'conntrack.drop.total',
      namespace: CHILD,
      owner: 'unbound[812]',
      usage: 4,
      limit: 100,
      ratio: null,
    },
  ]);
});

test('an empty database restores nothing', () => {
  assert.deepEqual(restoredStateOf(undefined, [], [], []), { lastSnapshot: null, setKinds: [], usage: [] });
});

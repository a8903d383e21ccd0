import assert from 'node:assert/strict';
import { test } from 'node:test';
import { restoredStateOf } from '../../../src/metrics/restored-state.js';

const CHILD = 'net:1/ipc:2/uts:3';

test('stored samples of the sets alive at the last snapshot become gauges with their owners', () => {
  const state = restoredStateOf(
    { taken_at: 5000, duration_ms: 80, keys_read: 1500, errors: '[]' },
    [
      { id: 1, identity: 'host', kind: 'host' },
      { id: 2, identity: CHILD, kind: 'process' },
    ],
    [
      { namespace_id: 1, kind: 'process', name: 'systemd', pid: 1 },
      { namespace_id: 2, kind: 'process', name: 'unbound', pid: 812 },
    ],
    [
      { namespace_id: 1, metric: 'files.allocated', usage: 300, limit_value: 1200, taken_at: 5000 },
      { namespace_id: 2, metric: 'conntrack.drop.total', usage: 4, limit_value: 100, taken_at: 4000 },
      { namespace_id: 9, metric: 'files.allocated', usage: 1, limit_value: 2, taken_at: 5000 },
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

test('a sample the last snapshot failed to measure (its set could not be read) is not restored as current', () => {
  const state = restoredStateOf(
    {
      taken_at: 5000,
      duration_ms: 80,
      keys_read: 1500,
      errors: JSON.stringify([
        { target: CHILD, collector: 'ephemeral-ports', message: 'nsenter: cannot open /run/netns/x' },
      ]),
    },
    [{ id: 2, identity: CHILD, kind: 'netns' }],
    [{ namespace_id: 2, kind: 'netns', name: 'x', pid: null }],
    [
      { namespace_id: 2, metric: 'ports.in_use', usage: 3, limit_value: 20, taken_at: 4000 },
      { namespace_id: 2, metric: 'ipc.msg_queues', usage: 0, limit_value: 32000, taken_at: 4000 },
    ],
  );
  assert.deepEqual(
    state.usage.map((u) => u.metric),
    ['ipc.msg_queues'],
    'the ports reading is left out; a reading of a collector that did not fail stays',
  );
});

test('an empty database restores nothing', () => {
  assert.deepEqual(restoredStateOf(undefined, [], [], []), { lastSnapshot: null, setKinds: [], usage: [] });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTimeline } from '../../../src/domain/correlation/build-timeline.js';

test('the timeline orders timed evidence and leaves out timeless kinds', () => {
  const timeline = buildTimeline([
    { kind: 'baseline-drift', key: 'a', baseline: 'dev', here: '1', there: '2' },
    {
      kind: 'kernel-event',
      key: 'k',
      signature: 'sig',
      namespace: null,
      owners: [],
      count: 3,
      firstAt: 3000,
      lastAt: 4000,
      sampleLine: 'x',
    },
    { kind: 'changed', key: 'c', namespace: 'host', owners: [], before: '1', after: null, at: 1000 },
    {
      kind: 'saturated',
      key: 's',
      metric: 'm',
      namespace: 'host',
      owners: [],
      usage: 9,
      limit: 10,
      ratio: 0.9,
      at: 2000,
    },
  ]);
  assert.deepEqual(
    timeline.map((e) => [e.at, e.kind, e.key, e.summary]),
    [
      [1000, 'changed', 'c', '1 → ∅'],
      [2000, 'saturated', 's', 'm 9/10'],
      [3000, 'kernel-event', 'k', 'sig ×3 until 1970-01-01T00:00:04.000Z'],
    ],
  );
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTimeline } from '../../../src/domain/correlation/build-timeline.js';
import type { Evidence } from '../../../src/domain/correlation/evidence-types.js';

const FULL = 'nf_conntrack: nf_conntrack: table full in netns 4026532246, dropping packet';
const tableFull = (firstAt: number, lastAt: number): Evidence => ({
  kind: 'kernel-event',
  key: 'net.netfilter.nf_conntrack_max',
  signature: 'conntrack-table-full',
  namespace: 'net:4026532246/ipc:1/uts:2',
  owners: ['api'],
  count: 10,
  firstAt,
  lastAt,
  sampleLine: FULL,
});
const lowered = (changedAfter: number, at: number): Evidence => ({
  kind: 'changed',
  key: 'net.netfilter.nf_conntrack_max',
  namespace: 'host',
  owners: [],
  before: '262144',
  after: '64',
  at,
  changedAfter,
  changedBy: at,
});

test('the timeline steps timed evidence and leaves out timeless kinds', () => {
  const timeline = buildTimeline([
    { kind: 'baseline-drift', key: 'a', baseline: 'dev', here: '1', there: '2' },
    { ...tableFull(3000, 4000), key: 'k', signature: 'sig', count: 3 } as Evidence,
    {
      kind: 'changed',
      key: 'c',
      namespace: 'host',
      owners: [],
      before: '1',
      after: null,
      at: 1000,
      changedAfter: 500,
    },
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
    timeline.map((e) => [e.step, e.from, e.to, e.kind, e.key, e.summary]),
    [
      [0, 500, 1000, 'changed', 'c', '1 → ∅'],
      [1, 2000, 2000, 'saturated', 's', 'm 9/10'],
      [2, 3000, 4000, 'kernel-event', 'k', 'sig ×3 until 1970-01-01T00:00:04.000Z'],
    ],
  );
});

test('a "table full" line inside the interval of the change that caused it is not ordered after or before it', () => {
  // Readings at 60 000 and 120 000; the limit was lowered somewhere between; the kernel printed at 90 000.
  const timeline = buildTimeline([tableFull(90_000, 95_000), lowered(60_000, 120_000)]);
  assert.deepEqual(
    timeline.map((e) => [e.step, e.kind, e.from, e.fromExclusive, e.to]),
    [
      [0, 'changed', 60_000, true, 120_000],
      [0, 'kernel-event', 90_000, false, 95_000],
    ],
    'one step: the order is unknown',
  );
});

test('a line printed at the previous reading precedes the change; one after the detection follows it', () => {
  const timeline = buildTimeline([
    tableFull(130_000, 131_000),
    lowered(60_000, 120_000),
    tableFull(50_000, 60_000),
  ]);
  assert.deepEqual(
    timeline.map((e) => [e.step, e.kind, e.from]),
    [
      [0, 'kernel-event', 50_000],
      [1, 'changed', 60_000],
      [2, 'kernel-event', 130_000],
    ],
  );
});

test('overlaps chain: entries overlapping one another through a third share its step', () => {
  const timeline = buildTimeline([
    lowered(0, 100),
    tableFull(90, 200),
    { ...tableFull(150, 160), namespace: 'other' } as Evidence,
    tableFull(201, 210),
  ]);
  assert.deepEqual(
    timeline.map((e) => e.step),
    [0, 0, 0, 1],
  );
});

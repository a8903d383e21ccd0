import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChangeEvidence, KernelEventEvidence } from '../../../src/domain/correlation/evidence-types.js';
import { tightenChangeIntervals } from '../../../src/domain/correlation/tighten-change-intervals.js';

const change = (before: string, after: string): ChangeEvidence => ({
  kind: 'changed',
  key: 'kernel.perf_event_max_sample_rate',
  namespace: 'host',
  owners: [],
  before,
  after,
  at: 120_000,
  changedAfter: 60_000,
  changedBy: 120_000,
});
const perf = (rate: number, at: number): KernelEventEvidence => ({
  kind: 'kernel-event',
  key: 'kernel.perf_event_max_sample_rate',
  signature: 'perf-interrupt-too-long',
  namespace: null,
  owners: [],
  count: 1,
  firstAt: at,
  lastAt: at,
  // The kernel's own format (kernel/events/core.c perf_duration_warn).
  sampleLine: `perf: interrupt took too long (2503 > 2500), lowering kernel.perf_event_max_sample_rate to ${rate}`,
});

test('a line stating the new value inside the interval proves the change had happened by then', () => {
  const [tight] = tightenChangeIntervals([change('100000', '79750')], [perf(79750, 75_000)]);
  assert.deepEqual([tight?.changedAfter, tight?.changedBy, tight?.at], [60_000, 75_000, 120_000]);
});

test('a line stating the old value inside the interval proves the change came after it', () => {
  const [tight] = tightenChangeIntervals([change('79750', '63750')], [perf(79750, 70_000)]);
  assert.deepEqual([tight?.changedAfter, tight?.changedBy], [70_000, 120_000]);
});

test('lines outside the interval, of other values, other keys or kinds that prove nothing leave it alone', () => {
  const base = change('100000', '79750');
  const tableFull: KernelEventEvidence = {
    ...perf(0, 90_000),
    key: 'net.netfilter.nf_conntrack_max',
    signature: 'conntrack-table-full',
    sampleLine: 'nf_conntrack: nf_conntrack: table full in netns 4026532246, dropping packet',
  };
  const lowered: ChangeEvidence = {
    ...base,
    key: 'net.netfilter.nf_conntrack_max',
    before: '262144',
    after: '64',
  };
  const out = tightenChangeIntervals(
    [base, lowered],
    [perf(79750, 50_000), perf(79750, 130_000), perf(63750, 80_000), tableFull],
  );
  assert.deepEqual(
    out.map((c) => [c.changedAfter, c.changedBy]),
    [
      [60_000, 120_000],
      [60_000, 120_000],
    ],
    'a "table full" fits the old limit as well as the new one: no proof of order',
  );
});

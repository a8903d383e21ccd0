import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type SeriesSample, toStepSeries } from '../../../src/domain/limits/step-series.js';

const FROM = Date.parse('2026-11-29T00:00:00Z');
const MIN = 60_000;

const s = (minute: number, usage: number, limit = 100): SeriesSample => ({
  takenAt: FROM + minute * MIN,
  usage,
  limit,
});

test('few samples come back as steps; the one before `from` is clamped to `from`', () => {
  const series = toStepSeries([s(-30, 10), s(5, 20), s(9, 15)], FROM, FROM + 10 * MIN, 500, false);
  assert.equal(series.downsampled, null);
  assert.deepEqual(
    series.points.map((p) => [(p.at - FROM) / MIN, p.usage, p.ratio, p.ratePerSecond]),
    [
      [0, 10, 0.1, null],
      [5, 20, 0.2, null],
      [9, 15, 0.15, null],
    ],
  );
});

test('levels: more steps than points fold into buckets keeping the max, and steps in force carry over', () => {
  // 60 minutes, one sample a minute, a spike of 99 at minute 31; then silence (change-only) until minute 59.
  const samples = Array.from({ length: 40 }, (_, m) => s(m, m === 31 ? 99 : m));
  const series = toStepSeries(samples, FROM, FROM + 60 * MIN - 1, 6, false);
  assert.deepEqual(series.downsampled, { buckets: 6, bucketMs: 10 * MIN, rule: 'max usage per bucket' });
  assert.deepEqual(
    series.points.map((p) => [(p.at - FROM) / MIN, p.usage]),
    [
      [0, 9],
      [10, 19],
      [20, 29],
      [30, 99],
      [40, 39],
      [50, 39],
    ],
  );
});

test('counters: a per-second rate between samples, a decrease is a reset, buckets keep the max rate', () => {
  const samples = [s(0, 100), s(1, 160), s(2, 160 + 120), s(3, 30)];
  const steps = toStepSeries(samples, FROM, FROM + 4 * MIN, 500, true);
  assert.deepEqual(
    steps.points.map((p) => [p.usage, p.ratePerSecond, p.ratio]),
    [
      [100, null, null],
      [160, 1, null],
      [280, 2, null],
      [30, 0.5, null],
    ],
  );
  const folded = toStepSeries(samples, FROM, FROM + 4 * MIN - 1, 2, true);
  assert.deepEqual(
    folded.points.map((p) => [(p.at - FROM) / MIN, p.usage, p.ratePerSecond]),
    [
      [0, 160, 1],
      [2, 30, 2],
    ],
  );
  assert.match(folded.downsampled?.rule ?? '', /max rate/);
});

test('an empty series has no points', () => {
  assert.deepEqual(toStepSeries([], FROM, FROM + MIN, 10, false), { points: [], downsampled: null });
});

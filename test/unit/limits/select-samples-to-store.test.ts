import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mergeSamples,
  selectSamplesToStore,
  type StoredSample,
} from '../../../src/domain/limits/select-samples-to-store.js';
import type { UsageSample } from '../../../src/domain/limits/usage-pairs.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-29T02:00:00Z');

function conntrack(usage: number, limit = 262144): UsageSample {
  return {
    metric: 'conntrack.entries',
    usage,
    limit,
    limitKey: 'net.netfilter.nf_conntrack_max',
    usageKey: 'net.netfilter.nf_conntrack_count',
    ratio: usage / limit,
  };
}

function files(usage: number, limit = 2466160): UsageSample {
  return {
    metric: 'files.allocated',
    usage,
    limit,
    limitKey: 'fs.file-max',
    usageKey: 'fs.file-nr',
    ratio: usage / limit,
  };
}

function pty(usage: number, limit = 4096): UsageSample {
  return {
    metric: 'pty.allocated',
    usage,
    limit,
    limitKey: 'kernel.pty.max',
    usageKey: 'kernel.pty.nr',
    ratio: usage / limit,
  };
}

function stored(usage: number, limit: number, agoMs: number): StoredSample {
  return { usage, limit, takenAt: NOW - agoMs };
}

test('with nothing stored before, every sample is stored, in order', () => {
  const samples = [conntrack(20), files(352), pty(0)];
  const selected = selectSamplesToStore(new Map(), samples, NOW, HOUR);
  assert.deepEqual(selected, samples);
  assert.equal(selected[0], samples[0], 'the same objects, not copies');
});

test('change-only selection against the last stored sample of each series', () => {
  const last = new Map<string, StoredSample>([
    ['conntrack.entries', stored(20, 262144, 30_000)],
    ['files.allocated', stored(352, 2466160, 30_000)],
    ['pty.allocated', stored(0, 4096, 30_000)],
  ]);
  const cases: readonly [label: string, sample: UsageSample, keep: boolean][] = [
    ['same usage and limit', conntrack(20), false],
    ['usage up', conntrack(21), true],
    ['usage down to zero', conntrack(0), true],
    ['limit raised, same usage', conntrack(20, 524288), true],
    ['limit lowered, same usage', files(352, 1000000), true],
    ['both changed', pty(3, 8192), true],
    ['same usage, same limit, a ratio computed differently', { ...files(352), ratio: 0.5 }, false],
    ['a series never stored', { ...pty(0), metric: 'aio.requests' }, true],
  ];
  for (const [label, sample, keep] of cases) {
    assert.deepEqual(selectSamplesToStore(last, [sample], NOW, HOUR), keep ? [sample] : [], label);
  }
});

test('a flat series is stored again once the last stored sample is heartbeatMs old', () => {
  const cases: readonly [label: string, agoMs: number, keep: boolean][] = [
    ['just stored', 0, false],
    ['one ms short of the heartbeat', HOUR - 1, false],
    ['exactly the heartbeat', HOUR, true],
    ['well past it', 5 * HOUR, true],
    ['stored "in the future" (clock stepped back)', -10 * 60_000, false],
  ];
  for (const [label, agoMs, keep] of cases) {
    const last = new Map([['conntrack.entries', stored(20, 262144, agoMs)]]);
    assert.deepEqual(
      selectSamplesToStore(last, [conntrack(20)], NOW, HOUR),
      keep ? [conntrack(20)] : [],
      label,
    );
  }
});

test('a heartbeat of 0 stores every sample; an infinite one stores only changes', () => {
  const last = new Map([
    ['conntrack.entries', stored(20, 262144, 0)],
    ['files.allocated', stored(352, 2466160, 100 * HOUR)],
  ]);
  const samples = [conntrack(20), files(352), pty(1)];
  assert.deepEqual(selectSamplesToStore(last, samples, NOW, 0), samples);
  assert.deepEqual(selectSamplesToStore(last, samples, NOW, Number.POSITIVE_INFINITY), [pty(1)]);
});

test('a mixed batch keeps the changed, the due and the new, in input order', () => {
  const last = new Map<string, StoredSample>([
    ['conntrack.entries', stored(20, 262144, 60_000)], // unchanged, recent: dropped
    ['files.allocated', stored(352, 2466160, 2 * HOUR)], // unchanged, due: kept
    ['pty.allocated', stored(0, 4096, 60_000)], // changed: kept
  ]);
  const samples = [pty(2), conntrack(20), { ...pty(0), metric: 'aio.requests' }, files(352)];
  assert.deepEqual(selectSamplesToStore(last, samples, NOW, HOUR), [
    pty(2),
    { ...pty(0), metric: 'aio.requests' },
    files(352),
  ]);
});

test('no samples select nothing', () => {
  assert.deepEqual(
    selectSamplesToStore(new Map([['conntrack.entries', stored(1, 2, 0)]]), [], NOW, HOUR),
    [],
  );
});

test('mergeSamples: a later source wins for the same metric, other metrics pass through', () => {
  const derived = [conntrack(0), files(352)]; // from nf_conntrack_count and fs.file-nr
  const collector = [conntrack(20)]; // from /proc/PID/net/stat/nf_conntrack
  assert.deepEqual(mergeSamples(derived, collector), [conntrack(20), files(352)]);
  assert.deepEqual(mergeSamples(collector, derived), [conntrack(0), files(352)], 'order of sources decides');
});

test('mergeSamples keeps the position where a metric first appeared', () => {
  assert.deepEqual(mergeSamples([files(1), conntrack(1)], [pty(1), files(2)], [conntrack(3)]), [
    files(2),
    conntrack(3),
    pty(1),
  ]);
});

test('mergeSamples: duplicates within one source, the last wins; no or empty sources give nothing', () => {
  assert.deepEqual(mergeSamples([conntrack(1), conntrack(2)]), [conntrack(2)]);
  assert.deepEqual(mergeSamples(), []);
  assert.deepEqual(mergeSamples([], []), []);
  assert.deepEqual(mergeSamples([], [pty(4)]), [pty(4)]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UsageSample } from '../../../src/domain/limits/usage-pairs.js';
import { evaluateSaturation } from '../../../src/domain/webhooks/evaluate-saturation.js';
import {
  DEFAULT_SATURATION_THRESHOLDS,
  type SaturationLevel,
} from '../../../src/domain/webhooks/next-saturation-level.js';
import {
  seriesId,
  type SnapshotFacts,
  type TargetFacts,
} from '../../../src/domain/webhooks/snapshot-facts.js';

const sample = (usage: number, limit = 100): UsageSample => ({
  metric: 'aio.requests',
  usage,
  limit,
  limitKey: 'fs.aio-max-nr',
  usageKey: 'fs.aio-nr',
  ratio: usage / limit,
});

const target = (samples: UsageSample[], vanished = false): TargetFacts => ({
  identity: 'host',
  kind: 'host',
  owners: [],
  vanished,
  appeared: false,
  changes: [],
  samples,
});

function facts(samples: UsageSample[], levels: [string, SaturationLevel][], vanished = false): SnapshotFacts {
  return {
    snapshotId: 7,
    takenAt: Date.UTC(2025, 0, 1),
    targets: [target(samples, vanished)],
    keys: new Map(),
    openValues: new Map(),
    levels: new Map(levels),
  };
}

test('a sequence of snapshots (change-only samples) raises one up and one down event', () => {
  const usages = [50, 85, 79, 82, 79, 78, 81, 60];
  let level: SaturationLevel = 'ok';
  const events = [];
  for (const usage of usages) {
    const result = evaluateSaturation(
      facts([sample(usage)], [[seriesId('host', 'aio.requests'), level]]),
      DEFAULT_SATURATION_THRESHOLDS,
    );
    events.push(...result.events);
    level = result.updates[0]?.level ?? level;
  }
  assert.deepEqual(
    events.map((e) => [e.data.direction, e.data.previousLevel, e.data.level, e.data.usage]),
    [
      ['up', 'ok', 'warn', 85],
      ['down', 'warn', 'ok', 60],
    ],
  );
  assert.deepEqual(events[0]?.keys, ['fs.aio-max-nr', 'fs.aio-nr']);
  assert.equal(events[0]?.data.percent, 85);
});

test('a series absent from the snapshot (unchanged) keeps its level and raises nothing', () => {
  const result = evaluateSaturation(
    facts([], [[seriesId('host', 'aio.requests'), 'critical']]),
    DEFAULT_SATURATION_THRESHOLDS,
  );
  assert.deepEqual(result, { events: [], updates: [] });
});

test('a stored level survives a restart: the same ratio does not fire again', () => {
  const result = evaluateSaturation(
    facts([sample(96)], [[seriesId('host', 'aio.requests'), 'critical']]),
    DEFAULT_SATURATION_THRESHOLDS,
  );
  assert.equal(result.events.length, 0);
  assert.equal(result.updates[0]?.level, 'critical');
});

test('vanished sets are not evaluated', () => {
  const result = evaluateSaturation(facts([sample(99)], [], true), DEFAULT_SATURATION_THRESHOLDS);
  assert.deepEqual(result, { events: [], updates: [] });
});

test('samples without a finite ratio (cumulative counters) are skipped', () => {
  const counter = { ...sample(5), metric: 'listen.overflows.total', ratio: Number.NaN };
  assert.deepEqual(evaluateSaturation(facts([counter], []), DEFAULT_SATURATION_THRESHOLDS), {
    events: [],
    updates: [],
  });
});

test('a netns metric names every owner of the netns: the holder set and the sets sharing its netns', () => {
  const ports: UsageSample = {
    metric: 'ports.in_use',
    usage: 19,
    limit: 20,
    limitKey: 'net.ipv4.ip_local_port_range',
    usageKey: '/proc/PID/net/{tcp,tcp6,udp,udp6}',
    ratio: 0.95,
  };
  const holder: TargetFacts = {
    identity: 'net:10/ipc:11/uts:12',
    kind: 'container',
    owners: [{ kind: 'container', ref: 'abc', name: 'web-1', image: 'nginx' }],
    netnsSharers: [{ kind: 'process', ref: '4242', name: 'sleep', image: null }],
    vanished: false,
    appeared: false,
    changes: [],
    samples: [ports, sample(10)],
  };
  const { events } = evaluateSaturation(
    { ...facts([], []), targets: [holder] },
    DEFAULT_SATURATION_THRESHOLDS,
  );
  assert.equal(events.length, 1, 'aio.requests at 10 % raises nothing');
  const [event] = events;
  assert.deepEqual(event?.data.netnsOwners, [
    { kind: 'container', ref: 'abc', name: 'web-1', image: 'nginx' },
    { kind: 'process', ref: '4242', name: 'sleep', image: null },
  ]);
  assert.ok(event?.namespaces.includes('4242'), 'a filter on the shell matches the netns alert');
  assert.ok(event?.namespaces.includes('web-1'));
});

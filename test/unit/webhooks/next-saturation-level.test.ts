import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_SATURATION_THRESHOLDS,
  nextSaturationLevel,
  type SaturationLevel,
} from '../../../src/domain/webhooks/next-saturation-level.js';

/** Levels after each ratio of a sequence, starting from ok. */
function walk(ratios: readonly number[]): SaturationLevel[] {
  let level: SaturationLevel = 'ok';
  return ratios.map((r) => (level = nextSaturationLevel(level, r, DEFAULT_SATURATION_THRESHOLDS)));
}

function crossings(levels: readonly SaturationLevel[]): number {
  return levels.filter((l, i) => l !== (i === 0 ? 'ok' : levels[i - 1])).length;
}

const cases: [string, number[], SaturationLevel[]][] = [
  ['stays ok below 80 %', [0.1, 0.5, 0.79], ['ok', 'ok', 'ok']],
  [
    'up, hover at the threshold, recover',
    [0.5, 0.82, 0.79, 0.81, 0.76, 0.8, 0.74],
    ['ok', 'warn', 'warn', 'warn', 'warn', 'warn', 'ok'],
  ],
  ['exactly 80 % is warn, 75 % still warn', [0.8, 0.75, 0.7499], ['warn', 'warn', 'ok']],
  [
    'jump straight to critical, hover, step down',
    [0.96, 0.92, 0.95, 0.9, 0.899, 0.76, 0.7],
    ['critical', 'critical', 'critical', 'critical', 'warn', 'warn', 'ok'],
  ],
  ['critical to ok in one step', [0.97, 0.2], ['critical', 'ok']],
  ['repeated same ratio never moves (idempotent)', [0.85, 0.85, 0.85], ['warn', 'warn', 'warn']],
];

for (const [name, ratios, expected] of cases) {
  test(`hysteresis: ${name}`, () => {
    assert.deepEqual(walk(ratios), expected);
  });
}

test('crossing up, hovering and recovering changes level exactly twice', () => {
  const hovering = [0.5, 0.81, ...Array.from({ length: 50 }, (_, i) => 0.76 + (i % 5) * 0.01), 0.6];
  const levels = walk(hovering);
  assert.equal(crossings(levels), 2);
  assert.equal(levels.at(-1), 'ok');
});

test('thresholds are arguments', () => {
  const t = { warn: 0.5, critical: 0.9, hysteresis: 0.1 };
  assert.equal(nextSaturationLevel('ok', 0.5, t), 'warn');
  assert.equal(nextSaturationLevel('warn', 0.41, t), 'warn');
  assert.equal(nextSaturationLevel('warn', 0.39, t), 'ok');
});

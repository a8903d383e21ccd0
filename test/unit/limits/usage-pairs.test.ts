import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveUsageSamples, isLimitKey, USAGE_PAIRS } from '../../../src/domain/limits/usage-pairs.js';
import { isVolatileKey } from '../../../src/domain/classification/volatile-keys.js';
import { loadProcSysFixture } from '../../helpers/proc-fixture.js';

function fixtureValues(): Map<string, string> {
  const values = new Map<string, string>();
  for (const [key, entry] of loadProcSysFixture()) if (entry.value !== null) values.set(key, entry.value);
  return values;
}

test('on the fixture every pair yields a sample with the recorded values', () => {
  // Captured: nf_conntrack 0/262144, file-nr "352 0 2466160" / file-max 2466160, aio 0/65536, pty 0/4096.
  assert.deepEqual(deriveUsageSamples(fixtureValues()), [
    {
      metric: 'conntrack.entries',
      usage: 0,
      limit: 262144,
      limitKey: 'net.netfilter.nf_conntrack_max',
      usageKey: 'net.netfilter.nf_conntrack_count',
      ratio: 0,
    },
    {
      metric: 'files.allocated',
      usage: 352,
      limit: 2466160,
      limitKey: 'fs.file-max',
      usageKey: 'fs.file-nr',
      ratio: 352 / 2466160,
    },
    {
      metric: 'aio.requests',
      usage: 0,
      limit: 65536,
      limitKey: 'fs.aio-max-nr',
      usageKey: 'fs.aio-nr',
      ratio: 0,
    },
    {
      metric: 'pty.allocated',
      usage: 0,
      limit: 4096,
      limitKey: 'kernel.pty.max',
      usageKey: 'kernel.pty.nr',
      ratio: 0,
    },
  ]);
});

test('ratios follow usage / limit', () => {
  const values = new Map([
    ['net.netfilter.nf_conntrack_count', '196608'],
    ['net.netfilter.nf_conntrack_max', '262144'],
    ['fs.file-nr', '1234\t0\t9223372036854775807'],
    ['fs.file-max', '2000'],
    ['kernel.pty.nr', ' 4096\n'],
    ['kernel.pty.max', '4096'],
  ]);
  const ratios = Object.fromEntries(deriveUsageSamples(values).map((s) => [s.metric, s.ratio]));
  assert.deepEqual(ratios, { 'conntrack.entries': 0.75, 'files.allocated': 0.617, 'pty.allocated': 1 });
});

const SKIPPED: readonly [label: string, usage: string | undefined, limit: string | undefined][] = [
  ['usage missing', undefined, '100'],
  ['limit missing', '5', undefined],
  ['usage empty', '', '100'],
  ['usage not a number', 'many', '100'],
  ['usage negative', '-1', '100'],
  ['usage fractional', '1.5', '100'],
  ['usage hex', '0x10', '100'],
  ['limit garbage', '5', '100abc'],
  ['limit zero (no limit)', '5', '0'],
  ['limit multi-field garbage', '5', '\t\n'],
];

for (const [label, usage, limit] of SKIPPED) {
  test(`a pair is skipped, without throwing, when ${label}`, () => {
    const values = new Map<string, string>();
    if (usage !== undefined) values.set('fs.aio-nr', usage);
    if (limit !== undefined) values.set('fs.aio-max-nr', limit);
    assert.deepEqual(deriveUsageSamples(values), []);
  });
}

test('an empty map gives no samples', () => {
  assert.deepEqual(deriveUsageSamples(new Map()), []);
});

test('limit keys are the settings of the pairs; usage keys are volatile', () => {
  for (const pair of USAGE_PAIRS) {
    assert.equal(isLimitKey(pair.limitKey), true, pair.limitKey);
    assert.equal(isLimitKey(pair.usageKey), false, pair.usageKey);
    assert.equal(isVolatileKey(pair.usageKey), true, pair.usageKey);
    assert.equal(isVolatileKey(pair.limitKey), false, pair.limitKey);
  }
  assert.equal(isLimitKey('net.core.somaxconn'), false);
});

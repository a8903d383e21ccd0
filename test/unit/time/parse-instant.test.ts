import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidInstantError, parseInstant } from '../../../src/domain/time/parse-instant.js';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);

test('parseInstant accepts ISO-8601, epoch milliseconds, relative times and now', () => {
  const cases: [string, number][] = [
    ['2026-11-29T11:00:00Z', Date.UTC(2026, 10, 29, 11)],
    ['2026-11-29T11:00:00.250+01:00', Date.UTC(2026, 10, 29, 10, 0, 0, 250)],
    ['2026-11-29', Date.UTC(2026, 10, 29)],
    ['1764417600000', 1764417600000],
    ['0', 0],
    ['-30s', NOW - 30_000],
    ['-15m', NOW - 900_000],
    ['-2h', NOW - 7_200_000],
    ['-7d', NOW - 604_800_000],
    ['-1w', NOW - 604_800_000],
    ['now', NOW],
    [' -15m ', NOW - 900_000],
  ];
  for (const [input, expected] of cases) assert.equal(parseInstant(input, NOW), expected, input);
});

test('parseInstant rejects anything else with an error that quotes the input', () => {
  for (const input of [
    '',
    'yesterday',
    '-15',
    '15m',
    '+15m',
    '-15y',
    '2026-13-45',
    '1e3',
    '99999999999999999',
    'NaN',
    '-1.5h',
    '2026-11-29T25:00:00Z',
    '-999999999w',
    '-200000000d',
  ]) {
    assert.throws(
      () => parseInstant(input, NOW),
      (error: unknown) => error instanceof InvalidInstantError && error.message.includes(`'${input}'`),
      input,
    );
  }
});

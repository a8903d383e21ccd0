import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CliUsageError, parseCliArgs } from '../../../src/cli/cli-args.js';
import { InvalidEnvironmentError, validateEnvironment } from '../../../src/config/env.schema.js';
import { planHourlyMax, type UsageSampleRow } from '../../../src/domain/retention/plan-hourly-max.js';
import {
  DAY_MS,
  HOUR_MS,
  hourOf,
  retentionCutoffs,
} from '../../../src/domain/retention/retention-cutoffs.js';
import { retentionSettings } from '../../../src/retention/retention-settings.js';

const NOW = Date.UTC(2026, 10, 29, 14, 37, 12, 345);

describe('retentionCutoffs', () => {
  test('usage cutoffs are hour-aligned, the others exact', () => {
    const c = retentionCutoffs(NOW, {
      usageRawDays: 30,
      usageHourlyDays: 120,
      kernelEventDays: 90,
      historyDays: 60,
      deliveryDays: 30,
    });
    assert.equal(c.usageDownsampleBefore, Date.UTC(2026, 9, 30, 14));
    assert.equal(c.usageDeleteBefore, Date.UTC(2026, 7, 1, 14));
    assert.equal(c.kernelEventsBefore, NOW - 90 * DAY_MS);
    assert.equal(c.historyBefore, NOW - 60 * DAY_MS);
    assert.equal(c.deliveriesBefore, NOW - 30 * DAY_MS);
  });

  test('null windows keep forever', () => {
    const c = retentionCutoffs(NOW, {
      usageRawDays: 7,
      usageHourlyDays: null,
      kernelEventDays: 1,
      historyDays: null,
      deliveryDays: 1,
    });
    assert.equal(c.usageDeleteBefore, null);
    assert.equal(c.historyBefore, null);
    assert.equal(c.usageDownsampleBefore, hourOf(NOW - 7 * DAY_MS));
  });
});

describe('planHourlyMax', () => {
  const H = hourOf(NOW);
  const row = (id: number, at: number, usage: number): UsageSampleRow => ({ id, takenAt: at, usage });

  test('keeps the highest usage of each hour (the earliest among equals) and deletes the rest', () => {
    const rows = [
      row(1, H, 5),
      row(2, H + 60_000, 9),
      row(3, H + 120_000, 9),
      row(4, H + HOUR_MS - 1, 2),
      row(5, H + HOUR_MS, 1),
      row(6, H + 2 * HOUR_MS + 5, 7),
    ];
    const plan = planHourlyMax(rows, false);
    assert.deepEqual(plan.deleteIds, [1, 3, 4]);
    assert.equal(plan.resumeAt, null);
  });

  test('a full page leaves its last (maybe unfinished) hour for the next page', () => {
    const rows = [row(1, H, 1), row(2, H + 1, 2), row(3, H + HOUR_MS, 3), row(4, H + HOUR_MS + 1, 1)];
    const plan = planHourlyMax(rows, true);
    assert.deepEqual(plan.deleteIds, [1]);
    assert.equal(plan.resumeAt, H + HOUR_MS);
  });

  test('a full page of one hour is reduced as far as it goes and read again', () => {
    const rows = [row(1, H, 3), row(2, H + 1, 8), row(3, H + 2, 8), row(4, H + 3, 1)];
    const plan = planHourlyMax(rows, true);
    assert.deepEqual(plan.deleteIds, [1, 3, 4]);
    assert.equal(plan.resumeAt, H);
    // The next page starts with the keeper: it stays the keeper against later equal values.
    const next = planHourlyMax([row(2, H + 1, 8), row(9, H + 50, 8)], false);
    assert.deepEqual(next.deleteIds, [9]);
  });

  test('an already reduced series plans nothing', () => {
    const rows = [row(1, H, 3), row(2, H + HOUR_MS, 8), row(3, H + 2 * HOUR_MS, 1)];
    assert.deepEqual(planHourlyMax(rows, false), { deleteIds: [], resumeAt: null });
    assert.deepEqual(planHourlyMax([], false), { deleteIds: [], resumeAt: null });
  });
});

/** Retention settings of raw variables, validated as at boot. */
const retentionSettingsFrom = (raw: Record<string, unknown>) => retentionSettings(validateEnvironment(raw));

describe('retentionSettingsFrom', () => {
  test('defaults: 30 d raw, 4× hourly, 90 d events, history kept, 30 d deliveries, hourly passes', () => {
    const s = retentionSettingsFrom({});
    assert.deepEqual(s.windows, {
      usageRawDays: 30,
      usageHourlyDays: 120,
      kernelEventDays: 90,
      historyDays: null,
      deliveryDays: 30,
    });
    assert.equal(s.intervalMinutes, 60);
    assert.equal(s.enabled, true);
  });

  test('reads every variable; 0 keeps hourly samples forever; READ_ONLY and CLI_MODE disable it', () => {
    const s = retentionSettingsFrom({
      USAGE_RETENTION_DAYS: '10',
      USAGE_HOURLY_RETENTION_DAYS: '0',
      KERNEL_EVENT_RETENTION_DAYS: '7',
      RETENTION_HISTORY_DAYS: '365',
      WEBHOOK_DELIVERY_RETENTION_DAYS: '3',
      RETENTION_INTERVAL_MINUTES: '5',
    });
    assert.deepEqual(s.windows, {
      usageRawDays: 10,
      usageHourlyDays: null,
      kernelEventDays: 7,
      historyDays: 365,
      deliveryDays: 3,
    });
    assert.equal(s.intervalMinutes, 5);
    assert.equal(retentionSettingsFrom({ READ_ONLY: true }).enabled, false);
    assert.equal(retentionSettingsFrom({ CLI_MODE: 'true' }).enabled, false);
  });

  test('names every bad variable', () => {
    assert.throws(
      () =>
        retentionSettingsFrom({
          USAGE_RETENTION_DAYS: 'x',
          RETENTION_HISTORY_DAYS: '0',
          USAGE_HOURLY_RETENTION_DAYS: '5',
        }),
      (error: unknown) =>
        error instanceof InvalidEnvironmentError &&
        error.problems.length === 3 &&
        /USAGE_RETENTION_DAYS="x"/.test(error.message) &&
        /RETENTION_HISTORY_DAYS="0"/.test(error.message) &&
        /USAGE_HOURLY_RETENTION_DAYS \(5\) is below USAGE_RETENTION_DAYS \(30\)/.test(error.message),
    );
  });
});

describe('parseCliArgs', () => {
  test('commands, options anywhere, values that look like options', () => {
    assert.deepEqual(parseCliArgs(['--db', 'x.sqlite', 'diff', '--from', '-1h', '--namespace=web']), {
      command: 'diff',
      args: [],
      options: { db: 'x.sqlite', from: '-1h', namespace: 'web' },
    });
    assert.deepEqual(parseCliArgs(['report', '12', '--json']), {
      command: 'report',
      args: ['12'],
      options: { json: 'true' },
    });
    assert.equal(parseCliArgs([]).command, 'help');
    assert.equal(parseCliArgs(['diff', '--help']).command, 'help');
  });

  test('bad command lines are usage errors naming the problem', () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['diff', '--at', 'x'], /diff does not take --at/],
      [['report'], /exactly one incident id/],
      [['export', 'extra'], /export takes no argument 'extra'/],
      [['diff', '--from'], /--from needs a value/],
    ];
    for (const [argv, message] of cases) {
      assert.throws(
        () => parseCliArgs(argv),
        (e: unknown) => e instanceof CliUsageError && message.test(e.message),
      );
    }
  });
});

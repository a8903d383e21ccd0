import { InvalidEnvironmentError } from '../config/env.schema.js';
import type { RetentionWindows } from '../domain/retention/retention-cutoffs.js';

export const RETENTION_SETTINGS = Symbol('RETENTION_SETTINGS');

export interface RetentionSettings {
  readonly windows: RetentionWindows;
  readonly intervalMinutes: number;
  /** False in postmortem (READ_ONLY) and CLI mode: nothing is pruned from a copy or by a one-shot command. */
  readonly enabled: boolean;
}

interface DaysVariable {
  readonly name: string;
  readonly min: number;
  readonly max: number;
}

/** The variables this module reads; to be moved into EnvironmentVariables (src/config/env.schema.ts). */
export const RETENTION_VARIABLES = {
  usageRawDays: { name: 'USAGE_RETENTION_DAYS', min: 1, max: 36_500 },
  usageHourlyDays: { name: 'USAGE_HOURLY_RETENTION_DAYS', min: 0, max: 36_500 },
  kernelEventDays: { name: 'KERNEL_EVENT_RETENTION_DAYS', min: 1, max: 36_500 },
  historyDays: { name: 'RETENTION_HISTORY_DAYS', min: 1, max: 36_500 },
  deliveryDays: { name: 'WEBHOOK_DELIVERY_RETENTION_DAYS', min: 1, max: 36_500 },
  intervalMinutes: { name: 'RETENTION_INTERVAL_MINUTES', min: 1, max: 10_080 },
} as const satisfies Record<string, DaysVariable>;

export const RETENTION_DEFAULTS = {
  usageRawDays: 30,
  /** Hourly samples live four times as long as raw ones unless set; 0 keeps them forever. */
  usageHourlyFactor: 4,
  kernelEventDays: 90,
  deliveryDays: 30,
  intervalMinutes: 60,
} as const;

const isTrue = (value: unknown): boolean =>
  value === true || (typeof value === 'string' && ['true', '1', 'yes'].includes(value.trim().toLowerCase()));

/** Reads the settings from `source` (env-like), defaults for absent ones; throws naming every bad variable. */
export function retentionSettingsFrom(source: Readonly<Record<string, unknown>>): RetentionSettings {
  const problems: string[] = [];
  const read = (v: DaysVariable): number | undefined => {
    const raw = source[v.name];
    if (raw === undefined || raw === null || raw === '') return undefined;
    const value = typeof raw === 'number' ? raw : /^\d+$/.test(String(raw).trim()) ? Number(raw) : NaN;
    if (!Number.isInteger(value) || value < v.min || value > v.max) {
      problems.push(`${v.name}=${JSON.stringify(raw)}: must be an integer from ${v.min} to ${v.max}`);
      return undefined;
    }
    return value;
  };
  const V = RETENTION_VARIABLES;
  const D = RETENTION_DEFAULTS;
  const usageRawDays = read(V.usageRawDays) ?? D.usageRawDays;
  const hourly = read(V.usageHourlyDays) ?? usageRawDays * D.usageHourlyFactor;
  if (hourly !== 0 && hourly < usageRawDays) {
    problems.push(
      `${V.usageHourlyDays.name} (${hourly}) is below ${V.usageRawDays.name} (${usageRawDays}): hourly samples cannot expire before raw ones (0 keeps them forever)`,
    );
  }
  const settings: RetentionSettings = {
    windows: {
      usageRawDays,
      usageHourlyDays: hourly === 0 ? null : hourly,
      kernelEventDays: read(V.kernelEventDays) ?? D.kernelEventDays,
      historyDays: read(V.historyDays) ?? null,
      deliveryDays: read(V.deliveryDays) ?? D.deliveryDays,
    },
    intervalMinutes: read(V.intervalMinutes) ?? D.intervalMinutes,
    enabled: !isTrue(source.READ_ONLY) && !isTrue(source.CLI_MODE),
  };
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  return settings;
}

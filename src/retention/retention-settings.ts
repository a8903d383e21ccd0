import type { EnvironmentVariables } from '../config/env.schema.js';
import type { RetentionWindows } from '../domain/retention/retention-cutoffs.js';

export const RETENTION_SETTINGS = Symbol('RETENTION_SETTINGS');

export interface RetentionSettings {
  readonly windows: RetentionWindows;
  readonly intervalMinutes: number;
  /** False in postmortem (READ_ONLY) and CLI mode: nothing is pruned from a copy or by a one-shot command. */
  readonly enabled: boolean;
}

/** The variables retention reads; validated (ranges, hourly ≥ raw) with every other one in env.schema.ts. */
export const RETENTION_VARIABLES = [
  'USAGE_RETENTION_DAYS',
  'USAGE_HOURLY_RETENTION_DAYS',
  'KERNEL_EVENT_RETENTION_DAYS',
  'RETENTION_HISTORY_DAYS',
  'WEBHOOK_DELIVERY_RETENTION_DAYS',
  'RETENTION_INTERVAL_MINUTES',
  'READ_ONLY',
  'CLI_MODE',
] as const;

export type RetentionVariables = Pick<EnvironmentVariables, (typeof RETENTION_VARIABLES)[number]>;

/** Hourly samples live four times as long as raw ones unless set; 0 keeps them forever. */
const USAGE_HOURLY_FACTOR = 4;

/** The retention windows of validated configuration. */
export function retentionSettings(env: RetentionVariables): RetentionSettings {
  const hourly = env.USAGE_HOURLY_RETENTION_DAYS ?? env.USAGE_RETENTION_DAYS * USAGE_HOURLY_FACTOR;
  return {
    windows: {
      usageRawDays: env.USAGE_RETENTION_DAYS,
      usageHourlyDays: hourly === 0 ? null : hourly,
      kernelEventDays: env.KERNEL_EVENT_RETENTION_DAYS,
      historyDays: env.RETENTION_HISTORY_DAYS ?? null,
      deliveryDays: env.WEBHOOK_DELIVERY_RETENTION_DAYS,
    },
    intervalMinutes: env.RETENTION_INTERVAL_MINUTES,
    enabled: !env.READ_ONLY && !env.CLI_MODE,
  };
}

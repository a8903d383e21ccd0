import { InvalidEnvironmentError } from '../config/env.schema.js';
import type { SaturationThresholds } from '../domain/webhooks/next-saturation-level.js';

export const WEBHOOK_SETTINGS = Symbol('WEBHOOK_SETTINGS');

export interface WebhookSettings {
  /** Per attempt, connect to response headers. */
  readonly timeoutMs: number;
  readonly backoffBaseMs: number;
  readonly maxAttempts: number;
  /** The dispatcher looks for due deliveries at least this often (it also wakes for the next one due). */
  readonly pollIntervalMs: number;
  /** setting.changed events of one snapshot go to a subscriber in deliveries of at most this many. */
  readonly maxEventsPerDelivery: number;
  readonly saturation: SaturationThresholds;
  /** False in postmortem (READ_ONLY) mode: nothing is sent from a copied database. */
  readonly dispatch: boolean;
}

interface IntVariable {
  readonly name: string;
  readonly fallback: number;
  readonly min: number;
  readonly max: number;
}

/** The variables this module reads, with defaults; to be moved into EnvironmentVariables. */
export const WEBHOOK_VARIABLES = {
  timeoutMs: { name: 'WEBHOOK_TIMEOUT_MS', fallback: 5000, min: 100, max: 120_000 },
  backoffBaseMs: { name: 'WEBHOOK_BACKOFF_BASE_MS', fallback: 5000, min: 1, max: 3_600_000 },
  maxAttempts: { name: 'WEBHOOK_MAX_ATTEMPTS', fallback: 12, min: 1, max: 100 },
  pollIntervalMs: { name: 'WEBHOOK_POLL_INTERVAL_MS', fallback: 10_000, min: 10, max: 3_600_000 },
  maxEventsPerDelivery: { name: 'WEBHOOK_MAX_EVENTS_PER_DELIVERY', fallback: 100, min: 1, max: 10_000 },
  warnPercent: { name: 'WEBHOOK_SATURATION_WARN_PERCENT', fallback: 80, min: 1, max: 100 },
  criticalPercent: { name: 'WEBHOOK_SATURATION_CRITICAL_PERCENT', fallback: 95, min: 1, max: 100 },
  hysteresisPoints: { name: 'WEBHOOK_SATURATION_HYSTERESIS_PERCENT', fallback: 5, min: 0, max: 50 },
} as const satisfies Record<string, IntVariable>;

/** Reads the settings from `source` (env-like), defaults for absent ones; throws naming every bad variable. */
export function webhookSettingsFrom(source: Readonly<Record<string, unknown>>): WebhookSettings {
  const problems: string[] = [];
  const read = (v: IntVariable): number => {
    const raw = source[v.name];
    if (raw === undefined || raw === '') return v.fallback;
    const value = typeof raw === 'number' ? raw : /^-?\d+$/.test(String(raw).trim()) ? Number(raw) : NaN;
    if (!Number.isInteger(value) || value < v.min || value > v.max) {
      problems.push(`${v.name}=${JSON.stringify(raw)}: must be an integer from ${v.min} to ${v.max}`);
      return v.fallback;
    }
    return value;
  };
  const V = WEBHOOK_VARIABLES;
  const warn = read(V.warnPercent);
  const critical = read(V.criticalPercent);
  if (critical < warn)
    problems.push(`${V.criticalPercent.name} (${critical}) is below ${V.warnPercent.name} (${warn})`);
  const settings: WebhookSettings = {
    timeoutMs: read(V.timeoutMs),
    backoffBaseMs: read(V.backoffBaseMs),
    maxAttempts: read(V.maxAttempts),
    pollIntervalMs: read(V.pollIntervalMs),
    maxEventsPerDelivery: read(V.maxEventsPerDelivery),
    saturation: { warn: warn / 100, critical: critical / 100, hysteresis: read(V.hysteresisPoints) / 100 },
    dispatch: ![source.READ_ONLY, source.CLI_MODE].some((flag) => flag === true || flag === 'true'),
  };
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  return settings;
}

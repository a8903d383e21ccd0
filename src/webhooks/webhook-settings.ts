import type { EnvironmentVariables } from '../config/env.schema.js';
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

/** The variables webhooks read; validated (ranges, critical ≥ warn) with every other one in env.schema.ts. */
export const WEBHOOK_VARIABLES = [
  'WEBHOOK_TIMEOUT_MS',
  'WEBHOOK_BACKOFF_BASE_MS',
  'WEBHOOK_MAX_ATTEMPTS',
  'WEBHOOK_POLL_INTERVAL_MS',
  'WEBHOOK_MAX_EVENTS_PER_DELIVERY',
  'WEBHOOK_SATURATION_WARN_PERCENT',
  'WEBHOOK_SATURATION_CRITICAL_PERCENT',
  'WEBHOOK_SATURATION_HYSTERESIS_PERCENT',
  'READ_ONLY',
  'CLI_MODE',
] as const;

export type WebhookVariables = Pick<EnvironmentVariables, (typeof WEBHOOK_VARIABLES)[number]>;

/** The webhook settings of validated configuration. */
export function webhookSettings(env: WebhookVariables): WebhookSettings {
  return {
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    backoffBaseMs: env.WEBHOOK_BACKOFF_BASE_MS,
    maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
    pollIntervalMs: env.WEBHOOK_POLL_INTERVAL_MS,
    maxEventsPerDelivery: env.WEBHOOK_MAX_EVENTS_PER_DELIVERY,
    saturation: {
      warn: env.WEBHOOK_SATURATION_WARN_PERCENT / 100,
      critical: env.WEBHOOK_SATURATION_CRITICAL_PERCENT / 100,
      hysteresis: env.WEBHOOK_SATURATION_HYSTERESIS_PERCENT / 100,
    },
    dispatch: !env.READ_ONLY && !env.CLI_MODE,
  };
}

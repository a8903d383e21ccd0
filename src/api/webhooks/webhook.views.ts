import type { AttemptRecord, DeliveryRecord } from '../../webhooks/delivery.js';
import type { Subscription } from '../../webhooks/subscription.js';
import { hasCredentials, redactUrl } from '../../domain/webhooks/validate-subscription.js';

export interface WebhookView {
  id: number;
  /** Credentials embedded in the URL are replaced by `***`. */
  url: string;
  hasCredentials: boolean;
  events: string[];
  keys: string[];
  namespaces: string[];
  description: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Only the answer to POST /webhooks carries the secret. */
export interface CreatedWebhookView extends WebhookView {
  secret: string;
}

export interface AttemptView {
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface DeliveryView {
  /** The X-Kernel-Ledger-Delivery header and the body's `id`. */
  id: string;
  event: string;
  eventCount: number;
  status: string;
  attempts: number;
  createdAt: string;
  lastAttemptAt: string | null;
  /** When the next attempt is due; null unless pending. */
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastResponseCode: number | null;
  lastError: string | null;
  attemptLog: AttemptView[];
}

export interface DeliveryPage {
  items: DeliveryView[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function webhookView(s: Subscription): WebhookView {
  return {
    id: s.id,
    url: redactUrl(s.url),
    hasCredentials: hasCredentials(s.url),
    events: [...s.events],
    keys: [...s.keys],
    namespaces: [...s.namespaces],
    description: s.description,
    active: s.active,
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
  };
}

export function deliveryView(d: DeliveryRecord): DeliveryView {
  return {
    id: d.deliveryId,
    event: d.eventType,
    eventCount: d.eventCount,
    status: d.status,
    attempts: d.attempts,
    createdAt: new Date(d.createdAt).toISOString(),
    lastAttemptAt: iso(d.lastAttemptAt),
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    deliveredAt: iso(d.deliveredAt),
    lastResponseCode: d.lastStatusCode,
    lastError: d.lastError,
    attemptLog: d.attemptLog.map(attemptView),
  };
}

function attemptView(a: AttemptRecord): AttemptView {
  return {
    at: new Date(a.at).toISOString(),
    statusCode: a.statusCode,
    error: a.error,
    durationMs: a.durationMs,
  };
}

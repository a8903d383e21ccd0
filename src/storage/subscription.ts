import type { WebhookEventType } from '../domain/webhooks/webhook-event.js';

export interface Subscription {
  readonly id: number;
  readonly url: string;
  readonly secret: string;
  readonly events: readonly WebhookEventType[];
  readonly keys: readonly string[];
  readonly namespaces: readonly string[];
  readonly description: string | null;
  readonly active: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface SubscriptionRow {
  id: number;
  url: string;
  secret: string;
  events: string;
  key_filters: string;
  namespace_filters: string;
  description: string | null;
  active: number | boolean;
  created_at: number;
  updated_at: number;
}

export function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    url: row.url,
    secret: row.secret,
    events: JSON.parse(row.events) as WebhookEventType[],
    keys: JSON.parse(row.key_filters) as string[],
    namespaces: JSON.parse(row.namespace_filters) as string[],
    description: row.description,
    active: row.active === true || row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

import { matchesAnyGlob } from './match-glob.js';
import type { WebhookEvent, WebhookEventType } from './webhook-event.js';

export interface SubscriptionFilter {
  readonly id: number;
  readonly events: readonly WebhookEventType[];
  /** Key globs; empty = every key. */
  readonly keys: readonly string[];
  /** Namespace globs; empty = every namespace set. */
  readonly namespaces: readonly string[];
}

export interface PlannedDelivery<E extends WebhookEvent> {
  readonly subscriptionId: number;
  readonly type: WebhookEventType;
  readonly events: readonly E[];
}

/**
 * Types whose events, when raised together (one snapshot), go to a subscriber as one delivery of up to
 * `maxBatch` events rather than one delivery each.
 */
export const BATCHED_EVENT_TYPES: ReadonlySet<WebhookEventType> = new Set(['setting.changed']);

/** True when the subscription wants the event. Filters narrow only events that carry what they filter on. */
export function subscriptionWants(subscription: SubscriptionFilter, event: WebhookEvent): boolean {
  if (!subscription.events.includes(event.type)) return false;
  if (subscription.keys.length > 0 && event.keys.length > 0 && !matchesAnyGlob(subscription.keys, event.keys))
    return false;
  if (
    subscription.namespaces.length > 0 &&
    event.namespaces.length > 0 &&
    !matchesAnyGlob(subscription.namespaces, event.namespaces)
  )
    return false;
  return true;
}

/** Which deliveries a batch of events raised together makes, per subscription, in event order. */
export function planDeliveries<E extends WebhookEvent>(
  subscriptions: readonly SubscriptionFilter[],
  events: readonly E[],
  maxBatch: number,
): PlannedDelivery<E>[] {
  const planned: PlannedDelivery<E>[] = [];
  for (const subscription of subscriptions) {
    const batches = new Map<WebhookEventType, E[]>();
    for (const event of events) {
      if (!subscriptionWants(subscription, event)) continue;
      if (!BATCHED_EVENT_TYPES.has(event.type)) {
        planned.push({ subscriptionId: subscription.id, type: event.type, events: [event] });
        continue;
      }
      const batch = batches.get(event.type) ?? [];
      batch.push(event);
      batches.set(event.type, batch);
    }
    for (const [type, batch] of batches) {
      for (let i = 0; i < batch.length; i += maxBatch) {
        planned.push({ subscriptionId: subscription.id, type, events: batch.slice(i, i + maxBatch) });
      }
    }
  }
  return planned;
}

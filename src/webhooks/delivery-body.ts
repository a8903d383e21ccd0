import { randomUUID } from 'node:crypto';
import type { PlannedDelivery } from '../domain/webhooks/plan-deliveries.js';
import type { WebhookEvent } from '../domain/webhooks/webhook-event.js';
import type { NewDelivery } from '../storage/deliveries.repository.js';

export type IdentifiedEvent = WebhookEvent & { readonly id: string };

export function identify(events: readonly WebhookEvent[]): IdentifiedEvent[] {
  return events.map((e) => ({ ...e, id: randomUUID() }));
}

/**
 * The outbox row of a planned delivery. The body is fixed here, once: every attempt POSTs the same bytes
 * (signed with that attempt's timestamp), and `id` equals the X-Kernel-Ledger-Delivery header.
 */
export function newDelivery(planned: PlannedDelivery<IdentifiedEvent>, now: number): NewDelivery {
  const deliveryId = randomUUID();
  const body = JSON.stringify({
    id: deliveryId,
    type: planned.type,
    createdAt: new Date(now).toISOString(),
    events: planned.events.map((e) => ({
      id: e.id,
      type: e.type,
      occurredAt: new Date(e.occurredAt).toISOString(),
      data: e.data,
    })),
  });
  return {
    deliveryId,
    webhookId: planned.subscriptionId,
    eventType: planned.type,
    eventCount: planned.events.length,
    body,
  };
}

import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock.js';
import { planDeliveries } from '../domain/webhooks/plan-deliveries.js';
import type { WebhookEvent, WebhookEventType } from '../domain/webhooks/webhook-event.js';
import { DeliveriesRepository } from '../storage/deliveries.repository.js';
import { identify, newDelivery } from './delivery-body.js';
import { SubscriptionsRepository } from '../storage/subscriptions.repository.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings.js';

/**
 * The transactional outbox. `enqueue` runs inside the write transaction that commits what the events report
 * (WebhookEventsSubscriber, a durable consumer of the event seam): a rollback or a crash takes the
 * notification with it, and a commit can never lose one. Delivery starts once that transaction has ended.
 */
@Injectable()
export class WebhookOutbox {
  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly dispatcher: WebhookDispatcher,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * One pending delivery per matching subscription and event; setting.changed events raised together go
   * to a subscription as one delivery (up to WEBHOOK_MAX_EVENTS_PER_DELIVERY). Returns the deliveries written.
   */
  async enqueue(em: EntityManager, events: readonly WebhookEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const subscriptions = await this.subscriptions.activeFilters(em);
    const planned = planDeliveries(subscriptions, identify(events), this.settings.maxEventsPerDelivery);
    const now = this.clock.now();
    await this.deliveries.insert(
      em,
      planned.map((p) => newDelivery(p, now)),
      now,
    );
    if (planned.length > 0) this.dispatcher.kickAfterCurrentWrite();
    return planned.length;
  }

  /** One delivery of `events` (all of `type`) to one subscription, whatever it chose (a ping). */
  async enqueueTo(
    em: EntityManager,
    webhookId: number,
    type: WebhookEventType,
    events: readonly WebhookEvent[],
  ): Promise<string> {
    const now = this.clock.now();
    const delivery = newDelivery({ subscriptionId: webhookId, type, events: identify(events) }, now);
    await this.deliveries.insert(em, [delivery], now);
    this.dispatcher.kickAfterCurrentWrite();
    return delivery.deliveryId;
  }

  /** Looks for due deliveries now (after a redelivery was queued outside `enqueue`). */
  wake(): void {
    this.dispatcher.kick();
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock.js';
import { planDeliveries } from '../domain/webhooks/plan-deliveries.js';
import type { WebhookEvent, WebhookEventType } from '../domain/webhooks/webhook-event.js';
import type { SnapshotRecord } from '../storage/snapshot.writer.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { identify, newDelivery } from './delivery-body.js';
import { SnapshotEventSource } from './snapshot-event-source.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings.js';

/**
 * The transactional outbox. Every producer of events (snapshots, the kernel log, incidents) calls `enqueue`
 * inside the write transaction that commits what the events report: a rollback or a crash takes the
 * notification with it, and a commit can never lose one. Delivery starts once that transaction has ended.
 */
@Injectable()
export class WebhookOutbox {
  private readonly logger = new Logger(WebhookOutbox.name);

  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly snapshotEvents: SnapshotEventSource,
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

  /**
   * Called by SnapshotWriter inside its transaction, after the snapshot's rows are written. Runs under a
   * savepoint: should deriving or enqueueing fail, its rows are undone and logged, and the snapshot still
   * commits (a broken notifier never stops the history).
   */
  async enqueueSnapshotEvents(
    em: EntityManager,
    record: SnapshotRecord,
    snapshotId: number,
  ): Promise<number> {
    await em.query(`SAVEPOINT "webhook_events"`);
    try {
      const count = await this.enqueue(em, await this.snapshotEvents.eventsOf(em, record, snapshotId));
      await em.query(`RELEASE SAVEPOINT "webhook_events"`);
      return count;
    } catch (error) {
      await em.query(`ROLLBACK TO SAVEPOINT "webhook_events"`);
      await em.query(`RELEASE SAVEPOINT "webhook_events"`);
      this.logger.error(
        `snapshot ${snapshotId}: webhook events not enqueued: ${error instanceof Error ? error.stack : String(error)}`,
      );
      return 0;
    }
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

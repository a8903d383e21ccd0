import { Inject, Injectable } from '@nestjs/common';
import { BadParameterError, NotFoundError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import { DeliveriesRepository } from '../../storage/deliveries.repository.js';
import { WebhookOutbox } from '../../webhooks/webhook-outbox.js';
import { WriteTransaction } from '../../storage/write-transaction.js';
import type { DeliveryListQuery } from './webhook.bodies.js';
import { type DeliveryPage, deliveryView, type DeliveryView } from './webhook.views.js';
import { WebhooksService } from './webhooks.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The delivery log of a subscription, redelivery, and the test ping. */
@Injectable()
export class WebhookDeliveriesService {
  constructor(
    private readonly transactions: WriteTransaction,
    private readonly webhooks: WebhooksService,
    private readonly deliveries: DeliveriesRepository,
    private readonly outbox: WebhookOutbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(webhookId: number, query: DeliveryListQuery): Promise<DeliveryPage> {
    await this.webhooks.existing(webhookId);
    const limit = query.limit ?? 50;
    const cursor = query.cursor ?? Number.MAX_SAFE_INTEGER;
    const rows = await this.deliveries.list(webhookId, query.status, limit + 1, cursor);
    const page = rows.slice(0, limit);
    return {
      items: page.map(deliveryView),
      nextCursor: rows.length > limit ? String(page[page.length - 1]?.rowId) : null,
    };
  }

  /** Back in the queue now, same delivery id, fresh attempts. */
  async redeliver(webhookId: number, deliveryId: string): Promise<DeliveryView> {
    await this.webhooks.existing(webhookId);
    const record = await this.deliveries.redeliver(webhookId, uuidParam(deliveryId), this.clock.now());
    if (!record) throw new NotFoundError(`delivery ${deliveryId} of webhook ${webhookId} does not exist`);
    this.outbox.wake();
    return deliveryView(record);
  }

  /** Queues a `ping` to the subscription; its outcome shows in the delivery log. */
  async ping(webhookId: number): Promise<DeliveryView> {
    const subscription = await this.webhooks.existing(webhookId);
    if (!subscription.active)
      throw new BadParameterError('id', `webhook ${webhookId} is inactive; activate it first`);
    const now = this.clock.now();
    const deliveryId = await this.transactions.run((em) =>
      this.outbox.enqueueTo(em, webhookId, 'ping', [
        {
          type: 'ping',
          occurredAt: now,
          keys: [],
          namespaces: [],
          data: { webhookId, events: [...subscription.events] },
        },
      ]),
    );
    const record = await this.deliveries.get(webhookId, deliveryId);
    if (!record) throw new Error(`ping delivery ${deliveryId} vanished`);
    return deliveryView(record);
  }
}

function uuidParam(raw: string): string {
  if (!UUID.test(raw))
    throw new BadParameterError('deliveryId', `'${raw.slice(0, 60)}' is not a delivery id`);
  return raw;
}

import { Injectable } from '@nestjs/common';
import { DomainEvents } from '../events/domain-events.bus.js';
import { MetricsService } from './metrics.service.js';

/** Feeds MetricsService from the event seam: committed snapshots, skipped ticks, webhook delivery attempts. */
@Injectable()
export class MetricsSubscriber {
  constructor(events: DomainEvents, metrics: MetricsService) {
    events.onCommit('snapshot.committed', MetricsSubscriber.name, (event) =>
      metrics.recordSnapshot(event.summary, event.collections),
    );
    events.onCommit('snapshot.tick-skipped', MetricsSubscriber.name, () => metrics.recordSkippedTick());
    events.onCommit('webhook.attempted', MetricsSubscriber.name, (event) =>
      metrics.recordWebhookDelivery(event.status),
    );
  }
}

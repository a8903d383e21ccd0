import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { LatestStateLoader } from './latest-state.loader.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { MetricsSubscriber } from './metrics.subscriber.js';

/**
 * `GET /metrics` and the MetricsService behind it, fed from the event seam (snapshots, skipped ticks,
 * webhook deliveries) by MetricsSubscriber; postmortem mode fills it from the database (LatestStateLoader).
 */
@Module({
  imports: [EventsModule, StorageModule],
  controllers: [MetricsController],
  providers: [MetricsService, MetricsSubscriber, LatestStateLoader],
  exports: [MetricsService, LatestStateLoader],
})
export class MetricsModule {}

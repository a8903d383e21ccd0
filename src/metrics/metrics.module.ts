import { Global, Module } from '@nestjs/common';
import { LatestStateLoader } from './latest-state.loader.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/**
 * `GET /metrics` and the MetricsService that snapshots, the scheduler and the webhook dispatcher report to.
 * Global, like WebhooksModule, so those modules inject MetricsService without importing this one.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, LatestStateLoader],
  exports: [MetricsService, LatestStateLoader],
})
export class MetricsModule {}

import { Module } from '@nestjs/common';
import { StorageModule } from '../../storage/storage.module.js';
import { WebhooksModule } from '../../webhooks/webhooks.module.js';
import { WebhookDeliveriesService } from './webhook-deliveries.service.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** The /webhooks routes: subscriptions, their delivery log, redelivery and the test ping. */
@Module({
  imports: [StorageModule, WebhooksModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookDeliveriesService],
})
export class WebhooksApiModule {}

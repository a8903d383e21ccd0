import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '../config/env.schema.js';
import { EventsModule } from '../events/events.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { HttpWebhookSender } from './http-webhook.sender.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookEventsSubscriber } from './webhook-events.subscriber.js';
import { WebhookOutbox } from './webhook-outbox.js';
import {
  WEBHOOK_SETTINGS,
  WEBHOOK_VARIABLES,
  webhookSettings,
  type WebhookVariables,
} from './webhook-settings.js';

/**
 * Webhook notifications: the outbox, a durable consumer of the event seam (WebhookEventsSubscriber), and its
 * dispatcher. Exports the outbox for the API's redelivery and test ping; the routes live in the API layer.
 */
@Module({
  imports: [EventsModule, StorageModule],
  providers: [
    {
      provide: WEBHOOK_SETTINGS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) =>
        webhookSettings(
          Object.fromEntries(
            WEBHOOK_VARIABLES.map((name) => [name, config.get(name, { infer: true })]),
          ) as WebhookVariables,
        ),
    },
    HttpWebhookSender,
    WebhookDispatcher,
    WebhookOutbox,
    WebhookEventsSubscriber,
  ],
  exports: [WebhookOutbox, WEBHOOK_SETTINGS],
})
export class WebhooksModule {}

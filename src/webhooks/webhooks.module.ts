import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventsModule } from '../events/events.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { HttpWebhookSender } from './http-webhook.sender.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookEventsSubscriber } from './webhook-events.subscriber.js';
import { WebhookOutbox } from './webhook-outbox.js';
import { WEBHOOK_SETTINGS, WEBHOOK_VARIABLES, webhookSettingsFrom } from './webhook-settings.js';

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
      useFactory: (config: ConfigService) => {
        const names = Object.values(WEBHOOK_VARIABLES).map((v) => v.name);
        const configured = Object.fromEntries(
          names.map((name) => [name, config.get<unknown>(name)]).filter(([, value]) => value !== undefined),
        );
        // Until EnvironmentVariables declares these, the process environment is their source.
        return webhookSettingsFrom({
          ...process.env,
          ...configured,
          READ_ONLY: config.get<boolean>('READ_ONLY') ?? false,
          CLI_MODE: config.get<boolean>('CLI_MODE') ?? false,
        });
      },
    },
    HttpWebhookSender,
    WebhookDispatcher,
    WebhookOutbox,
    WebhookEventsSubscriber,
  ],
  exports: [WebhookOutbox, WEBHOOK_SETTINGS],
})
export class WebhooksModule {}

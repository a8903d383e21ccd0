import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { WebhookDeliveriesService } from '../api/webhooks/webhook-deliveries.service.js';
import { WebhooksController } from '../api/webhooks/webhooks.controller.js';
import { WebhooksService } from '../api/webhooks/webhooks.service.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { HttpWebhookSender } from './http-webhook.sender.js';
import { SaturationLevelsRepository } from './saturation-levels.repository.js';
import { SnapshotEventSource } from './snapshot-event-source.js';
import { SnapshotFactsLoader } from './snapshot-facts.loader.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookOutbox } from './webhook-outbox.js';
import { WEBHOOK_SETTINGS, WEBHOOK_VARIABLES, webhookSettingsFrom } from './webhook-settings.js';

/**
 * Webhook subscriptions, the transactional outbox and its dispatcher. Global so that every producer of
 * events (SnapshotWriter in StorageModule, the kernel-log and incident modules) can inject WebhookOutbox.
 */
@Global()
@Module({
  controllers: [WebhooksController],
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
    SubscriptionsRepository,
    DeliveriesRepository,
    SaturationLevelsRepository,
    SnapshotFactsLoader,
    SnapshotEventSource,
    HttpWebhookSender,
    WebhookDispatcher,
    WebhookOutbox,
    WebhooksService,
    WebhookDeliveriesService,
  ],
  exports: [WebhookOutbox],
})
export class WebhooksModule {}

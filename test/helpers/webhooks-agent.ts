import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configureApp, loggerOption } from '../../src/app.factory.js';
import { AppModule } from '../../src/app.module.js';
import { validateEnvironment } from '../../src/config/env.schema.js';
import { WebhookDispatcher } from '../../src/webhooks/webhook-dispatcher.js';
import { WEBHOOK_SETTINGS, webhookSettingsFrom } from '../../src/webhooks/webhook-settings.js';
import { WebhooksModule } from '../../src/webhooks/webhooks.module.js';
import { migrateWithWebhooks } from './webhooks-migrate.js';

export interface WebhooksAgent {
  readonly app: INestApplication;
  readonly baseUrl: string;
  readonly api: string;
  close(): Promise<void>;
}

/**
 * The real AppModule plus WebhooksModule in this process (as the app will be once the lead wires the module),
 * on a free loopback port. `webhookEnv` holds WEBHOOK_* variables.
 */
export async function startWebhooksAgent(
  env: Record<string, string>,
  webhookEnv: Record<string, string> = {},
): Promise<WebhooksAgent> {
  const validated = validateEnvironment({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env });
  await migrateWithWebhooks(validated.DB_PATH);
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(validated), WebhooksModule],
  })
    .overrideProvider(WEBHOOK_SETTINGS)
    .useValue(webhookSettingsFrom(webhookEnv))
    .compile();
  const app = configureApp(
    moduleRef.createNestApplication({ logger: loggerOption(validated), bodyParser: false }),
    validated,
  );
  await app.listen(0, '127.0.0.1');
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  return { app, baseUrl, api: `${baseUrl}/api/v1`, close: () => app.close() };
}

/** Waits until the dispatcher has nothing in flight. */
export function dispatcherIdle(agent: WebhooksAgent): Promise<void> {
  return agent.app.get(WebhookDispatcher).idle();
}

import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configureApp, loggerOption } from '../../src/app.factory.js';
import { AppModule } from '../../src/app.module.js';
import { validateEnvironment } from '../../src/config/env.schema.js';
import { WebhookDispatcher } from '../../src/webhooks/webhook-dispatcher.js';
import { WEBHOOK_SETTINGS, webhookSettingsFrom } from '../../src/webhooks/webhook-settings.js';

export interface WebhooksAgent {
  readonly app: INestApplication;
  readonly baseUrl: string;
  readonly api: string;
  close(): Promise<void>;
}

/**
 * The real AppModule in this process, on a free loopback port, with its webhook settings taken from
 * `webhookEnv` (WEBHOOK_* variables) instead of the environment.
 */
export async function startWebhooksAgent(
  env: Record<string, string>,
  webhookEnv: Record<string, string> = {},
): Promise<WebhooksAgent> {
  const validated = validateEnvironment({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(validated)],
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

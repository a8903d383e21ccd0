import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configureApp, loggerOption } from '../../src/app.factory.js';
import { AppModule } from '../../src/app.module.js';
import { validateEnvironment } from '../../src/config/env.schema.js';
import { WebhooksModule } from '../../src/webhooks/webhooks.module.js';
import { migrateWithWebhooks } from './webhooks-migrate.js';

/**
 * The agent's main.ts with WebhooksModule added, as it will be once the lead wires it; run as a child process
 * by the crash tests (kill -9) until then. Prints the same "listening on" line as main.ts.
 */
class WebhooksAgentRoot {}

async function main(): Promise<void> {
  const env = validateEnvironment(process.env);
  await migrateWithWebhooks(env.DB_PATH);
  const app = await NestFactory.create(
    { module: WebhooksAgentRoot, imports: [AppModule.forRoot(env), WebhooksModule] },
    { logger: loggerOption(env), bodyParser: false },
  );
  configureApp(app, env);
  await app.listen(env.PORT, env.HOST);
  const address = (app.getHttpServer() as Server).address() as AddressInfo;
  process.stdout.write(`kernel-ledger listening on http://${env.HOST}:${address.port}/api/v1\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`webhooks agent failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

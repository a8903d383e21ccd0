import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.factory.js';
import { InvalidEnvironmentError, validateEnvironment } from './config/env.schema.js';

async function main(): Promise<void> {
  let env;
  try {
    env = validateEnvironment(process.env);
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) {
      process.stderr.write(`kernel-ledger: refusing to start, ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const app = await createApp(env);
  await app.listen(env.PORT, env.HOST);
  const address = (app.getHttpServer() as Server).address() as AddressInfo;
  process.stdout.write(`kernel-ledger listening on http://${env.HOST}:${address.port}/api/v1\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `kernel-ledger: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

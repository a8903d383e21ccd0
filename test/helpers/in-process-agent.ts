import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configureApp, loggerOption } from '../../src/app.factory.js';
import { AppModule } from '../../src/app.module.js';
import type { Collector } from '../../src/collectors/collector.js';
import { validateEnvironment } from '../../src/config/env.schema.js';
import { COLLECTORS } from '../../src/snapshot/snapshot.tokens.js';

export interface InProcessAgent {
  readonly app: INestApplication;
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real AppModule in this process, listening on a free loopback port, with the collector list replaced
 * (the one seam the system tests need: acting at the exact moment between discovery and reading).
 */
export async function startInProcessAgent(
  env: Record<string, string>,
  collectors?: readonly Collector[],
): Promise<InProcessAgent> {
  const validated = validateEnvironment({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(validated)] });
  if (collectors) builder = builder.overrideProvider(COLLECTORS).useValue(collectors);
  const moduleRef = await builder.compile();
  const app = configureApp(
    moduleRef.createNestApplication({ logger: loggerOption(validated), bodyParser: false }),
    validated,
  );
  await app.listen(0, '127.0.0.1');
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  return { app, baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}

import type { INestApplication } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { configureApp, loggerOption } from '../../src/app.factory.js';
import { AppModule } from '../../src/app.module.js';
import { CollectionScheduler } from '../../src/collection.scheduler.js';
import type { Collector } from '../../src/collectors/collector.js';
import { validateEnvironment } from '../../src/config/env.schema.js';
import { COLLECTORS } from '../../src/snapshot/snapshot.tokens.js';

export interface AgentOptions {
  /** Variables over HOST=127.0.0.1, PORT=0, LOG_LEVEL=warn; validated like the agent's own. */
  readonly env: Record<string, string>;
  /** The collector list instead of the default one (acting between discovery and reading). */
  readonly collectors?: readonly Collector[];
  /** WEBHOOK_* settings, validated with the rest of the environment. */
  readonly webhooks?: Record<string, string>;
  /**
   * false: no background jobs (startup and scheduled snapshots, kernel-log polls, retention passes), the test
   * drives each one. Default true: the agent runs as in production.
   */
  readonly background?: boolean;
  /** Anything else a test must replace (provider overrides). */
  readonly configure?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

export interface Agent {
  readonly app: INestApplication;
  readonly baseUrl: string;
  /** `${baseUrl}/api/v1` */
  readonly api: string;
  readonly dataSource: DataSource;
  close(): Promise<void>;
}

/** No lifecycle hooks: the scheduler replaced by this never starts its timers. */
const IDLE = {};

/**
 * The one way tests start the agent: the real AppModule in this process, configured like production
 * (configureApp: prefix, body limits, guards, pipes, filters, /metrics), on a free loopback port.
 */
export async function startAgent(options: AgentOptions): Promise<Agent> {
  const env = validateEnvironment({
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    ...options.env,
    ...options.webhooks,
  });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(env)] });
  if (options.collectors) builder = builder.overrideProvider(COLLECTORS).useValue(options.collectors);
  if (options.background === false) builder = builder.overrideProvider(CollectionScheduler).useValue(IDLE);
  if (options.configure) builder = options.configure(builder);
  const moduleRef = await builder.compile();
  const app = configureApp(
    moduleRef.createNestApplication({ logger: loggerOption(env), bodyParser: false }),
    env,
  );
  await app.listen(0, '127.0.0.1');
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    baseUrl,
    api: `${baseUrl}/api/v1`,
    dataSource: app.get(DataSource),
    close: () => app.close(),
  };
}

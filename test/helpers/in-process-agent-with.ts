import type { Type } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { configureApp, loggerOption } from '../../src/app.factory.js';
import { AppModule } from '../../src/app.module.js';
import { validateEnvironment } from '../../src/config/env.schema.js';
import type { InProcessAgent } from './in-process-agent.js';

export interface InProcessAgentOptions {
  /** Feature modules not (yet) registered in AppModule, imported beside it. */
  readonly modules?: readonly Type[];
  /** Provider overrides and the like. */
  readonly configure?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

/**
 * The real AppModule in this process, configured like production (configureApp: body limits, guards,
 * filters), like startInProcessAgent, plus feature modules not registered in AppModule yet and overrides.
 */
export async function startInProcessAgentWith(
  env: Record<string, string>,
  options: InProcessAgentOptions = {},
): Promise<InProcessAgent & { dataSource: DataSource }> {
  const validated = validateEnvironment({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env });
  let builder = Test.createTestingModule({
    imports: [AppModule.forRoot(validated), ...(options.modules ?? [])],
  });
  if (options.configure) builder = options.configure(builder);
  const moduleRef = await builder.compile();
  const app = configureApp(
    moduleRef.createNestApplication({ logger: loggerOption(validated), bodyParser: false }),
    validated,
  );
  await app.listen(0, '127.0.0.1');
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    dataSource: app.get(DataSource),
    close: () => app.close(),
  };
}

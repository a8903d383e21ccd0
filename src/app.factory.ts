import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, type Request, type Response } from 'express';
import type { Server } from 'node:http';
import helmet from 'helmet';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { ApiExceptionFilter } from './common/api-exception.filter.js';
import { mountHostCheck } from './common/host-check.js';
import { limitHttpServer } from './common/http-server-limits.js';
import { rejectHostileJson } from './common/json-body-guards.js';
import { EnvironmentVariables } from './config/env.schema.js';
import { mountMetricsFastPath } from './metrics/metrics-fast-path.js';
import { METRICS_ROUTE } from './metrics/metrics.route.js';
import { setupApiDocs } from './docs/api-docs.js';

export const API_PREFIX = 'api/v1';

/** Builds the application with its global pipes and filters; used by main.ts, the tests and the benchmarks. */
export async function createApp(env: EnvironmentVariables): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env), {
    logger: loggerOption(env),
    bodyParser: false,
    bufferLogs: env.LOG_LEVEL !== 'silent',
    // A client holding a connection open without a request must not hold up SIGTERM: server.close() waits
    // for every connection and stops the timer that would drop the silent ones.
    forceCloseConnections: true,
  });
  // Structured JSON logs (nestjs-pino) for everything Nest and the services log, with their context.
  if (env.LOG_LEVEL !== 'silent') app.useLogger(app.get(PinoLogger));
  configureApp(app, env);
  await app.init();
  // After every route: any other path (outside /api/v1 too) is a JSON 404, like the API's own.
  app.use((req: Request, res: Response) => {
    res
      .status(404)
      .json({ statusCode: 404, error: 'Not Found', message: `Cannot ${req.method} ${req.path}` });
  });
  return app;
}

/** The connection limits, prefix, body limits, security headers, validation, error filter and shutdown hooks of every instance. */
export function configureApp(
  app: INestApplication,
  env: EnvironmentVariables = new EnvironmentVariables(),
): INestApplication {
  limitHttpServer(app.getHttpServer() as Server, env);
  mountMetricsFastPath(app);
  // After the fast path: the Host check wraps every listener, /metrics included.
  mountHostCheck(app, env.HOST, env.ALLOWED_HOSTS);
  app.setGlobalPrefix(API_PREFIX, { exclude: [METRICS_ROUTE] });
  // CSP is for HTML; this API answers JSON, and the Swagger UI at /docs needs its inline initializer.
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(`/${API_PREFIX}/baselines`, json({ limit: env.BASELINE_BODY_LIMIT_BYTES }));
  app.use(json({ limit: env.BODY_LIMIT_BYTES }));
  app.use(rejectHostileJson);
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();
  setupApiDocs(app);
  return app;
}

export function loggerOption(env: EnvironmentVariables): false | ReturnType<typeof loggerLevels> {
  return env.LOG_LEVEL === 'silent' ? false : loggerLevels(env.LOG_LEVEL);
}

function loggerLevels(
  level: EnvironmentVariables['LOG_LEVEL'],
): ('fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose')[] {
  const order = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
  const cut = { fatal: 0, error: 1, warn: 2, info: 3, debug: 4, trace: 5, silent: -1 }[level];
  return order.slice(0, cut + 1);
}

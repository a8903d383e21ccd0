import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { ApiExceptionFilter } from './common/api-exception.filter.js';
import type { EnvironmentVariables } from './config/env.schema.js';

export const API_PREFIX = 'api/v1';

/** Builds the application with its global pipes and filters; used by main.ts, the tests and the benchmarks. */
export async function createApp(env: EnvironmentVariables): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(env), { logger: loggerOption(env) });
  return configureApp(app);
}

/** The global prefix, validation, error filter and shutdown hooks every instance of the app gets. */
export function configureApp(app: INestApplication): INestApplication {
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();
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

import { STATUS_CODES } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Express, Request, Response } from 'express';
import type { EnvironmentVariables } from '../config/env.schema.js';
import { accessSettingsOf } from '../common/access.guard.js';
import { decideAccess } from '../domain/access/access-policy.js';
import { METRICS_ROUTE } from './metrics.route.js';
import { MetricsService } from './metrics.service.js';

/**
 * `GET /metrics` answered by express before any other middleware and Nest's pipeline (security headers,
 * request logger, guards, pipes, router). A scrape is a few microseconds of work on a cached text; that
 * pipeline made it ~1 ms and its garbage doubled the p99 under load against node_exporter (bench figure 3).
 * The same access rule applies (decideAccess, as AccessGuard); errors have the API's JSON shape.
 * MetricsController stays the route's OpenAPI description and answers when this is not mounted.
 */
export function mountMetricsFastPath(app: INestApplication): void {
  const metrics = app.get(MetricsService);
  const access = accessSettingsOf(app.get<ConfigService<EnvironmentVariables, true>>(ConfigService));
  const server = app.getHttpAdapter().getInstance() as Express;
  server.get(`/${METRICS_ROUTE.path}`, (request: Request, response: Response) => {
    response.setHeader('X-Content-Type-Options', 'nosniff');
    const decision = decideAccess(request.method, request.headers.authorization, access);
    if (!decision.allowed) {
      const { status, message } = decision;
      response.status(status).json({ statusCode: status, error: STATUS_CODES[status], message });
      return;
    }
    metrics.render().then(
      (text) => {
        response.setHeader('Content-Type', metrics.contentType);
        response.setHeader('Cache-Control', 'no-store');
        response.end(text);
      },
      () => {
        response.status(500).json({
          statusCode: 500,
          error: 'Internal Server Error',
          message: 'internal error; see the agent log',
        });
      },
    );
  });
}

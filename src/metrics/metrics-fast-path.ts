import { type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '../config/env.schema.js';
import { accessSettingsOf } from '../common/access.guard.js';
import { type AccessSettings, decideAccess } from '../domain/access/access-policy.js';
import { METRICS_ROUTE } from './metrics.route.js';
import { MetricsService } from './metrics.service.js';

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

const SCRAPE_PATH = `/${METRICS_ROUTE.path}`;

/**
 * `GET /metrics` answered by the HTTP server itself, ahead of express and Nest's pipeline (router, security
 * headers, request logger, guards, pipes). A scrape then costs the cached bytes and Node's own request objects:
 * express's routing allocated about 45 KB per request, and that garbage drove the GC pauses that made the p99
 * under load twice node_exporter's (bench figure 3). The same access rule applies (decideAccess, as
 * AccessGuard); errors have the API's JSON shape. Anything else, `/metrics/` or `/METRICS` included, goes to
 * express, where MetricsController (the route's OpenAPI description) answers it.
 */
export function mountMetricsFastPath(app: INestApplication): void {
  const metrics = app.get(MetricsService);
  const access = accessSettingsOf(app.get<ConfigService<EnvironmentVariables, true>>(ConfigService));
  const server = app.getHttpServer() as Server;
  const others = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (isScrape(request)) answerScrape(request, response, metrics, access);
    else for (const listener of others) listener.call(server, request, response);
  });
}

function isScrape(request: IncomingMessage): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const url = request.url ?? '';
  const query = url.indexOf('?');
  return (query < 0 ? url : url.slice(0, query)) === SCRAPE_PATH;
}

function answerScrape(
  request: IncomingMessage,
  response: ServerResponse,
  metrics: MetricsService,
  access: AccessSettings,
): void {
  const decision = decideAccess(request.method ?? 'GET', request.headers.authorization, access);
  if (!decision.allowed) {
    sendError(response, decision.status, decision.message);
    return;
  }
  const body = metrics.body();
  if (Buffer.isBuffer(body)) sendBody(response, metrics.contentType, body);
  else
    body.then(
      (bytes) => sendBody(response, metrics.contentType, bytes),
      () => sendError(response, 500, 'internal error; see the agent log'),
    );
}

function sendBody(response: ServerResponse, contentType: string, body: Buffer): void {
  response.writeHead(200, [
    ['Content-Type', contentType],
    ['Content-Length', String(body.length)],
    ['Cache-Control', 'no-store'],
    ['X-Content-Type-Options', 'nosniff'],
  ]);
  response.end(body);
}

function sendError(response: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ statusCode: status, error: STATUS_CODES[status], message });
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(body);
}

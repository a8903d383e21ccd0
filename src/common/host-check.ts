import { type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import { hostname } from 'node:os';
import type { INestApplication } from '@nestjs/common';
import { decideHost, hostPolicyFor } from '../domain/access/decide-host.js';

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * The DNS-rebinding check (src/domain/access/decide-host.ts) ahead of every listener of the HTTP server: the
 * API, /docs, and /metrics (answered by its own fast path, also a listener). Mounted last, so it wraps them all.
 */
export function mountHostCheck(app: INestApplication, bindHost: string, allowedHosts: string): void {
  const policy = hostPolicyFor(bindHost, hostname(), allowedHosts);
  if (policy.anyHost) return;
  const server = app.getHttpServer() as Server;
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const origin = request.headers.origin;
    const verdict = decideHost(request.headers.host, origin, policy);
    if (verdict.allowed) {
      for (const listener of listeners) listener.call(server, request, response);
      return;
    }
    const body = JSON.stringify({
      statusCode: verdict.status,
      error: STATUS_CODES[verdict.status],
      message: verdict.message,
    });
    response.writeHead(verdict.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    response.end(body);
  });
}

import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import type { EnvironmentVariables } from '../config/env.schema.js';

/** Longest wait for a request's headers; never above the whole request's limit (Node requires it). */
const HEADERS_TIMEOUT_MS = 20_000;
/** An idle keep-alive connection is closed after this (Node's own default, stated so it stays). */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

/**
 * Bounds what clients can hold of the agent. Every open connection costs a file descriptor, and the collector
 * needs descriptors for each nsenter helper, procfs walk and the database: past MAX_CONNECTIONS Node closes new
 * connections on accept. A connection that sends nothing is dropped once its headers are late
 * (HEADERS_TIMEOUT_MS, checked every 30 s by Node), a slow body at REQUEST_TIMEOUT_MS, an idle keep-alive at
 * KEEP_ALIVE_TIMEOUT_MS: idle clients let go by themselves. Out of descriptors, libuv closes what it cannot
 * accept; should it hand the error on instead (its reserve descriptor was taken), the server emits 'error',
 * which without a listener would end the process: it is logged.
 */
export function limitHttpServer(
  server: Server,
  env: Pick<EnvironmentVariables, 'MAX_CONNECTIONS' | 'REQUEST_TIMEOUT_MS'>,
): void {
  server.maxConnections = env.MAX_CONNECTIONS;
  server.requestTimeout = env.REQUEST_TIMEOUT_MS;
  server.headersTimeout = Math.min(HEADERS_TIMEOUT_MS, env.REQUEST_TIMEOUT_MS);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  const logger = new Logger('HttpServer');
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.syscall === 'accept') logger.warn(`cannot accept a connection: ${error.message}`);
    else logger.error(`HTTP server error: ${error.message}`);
  });
}

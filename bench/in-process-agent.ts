import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { createApp } from '../src/app.factory.js';
import { validateEnvironment } from '../src/config/env.schema.js';

/**
 * The agent in this process (initialised by createApp) on a database in `dir`, for the figures that time
 * `SnapshotService.runOnce` itself: no schedule, no logs, and no Docker (its socket points nowhere in `dir`).
 * `env` adds or overrides variables (NETNS_DIR, NAMESPACE_READ_CONCURRENCY…).
 */
export async function createBenchAgent(
  dir: string,
  env: Record<string, string>,
): Promise<{ app: INestApplication; dbPath: string }> {
  const dbPath = path.join(dir, 'bench.sqlite');
  const app = await createApp(
    validateEnvironment({
      DB_PATH: dbPath,
      SNAPSHOT_INTERVAL: '86400',
      LOG_LEVEL: 'silent',
      DOCKER_SOCKET: path.join(dir, 'no-docker.sock'),
      ...env,
    }),
  );
  return { app, dbPath };
}

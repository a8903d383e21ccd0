import path from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import { AppModule } from '../src/app.module.js';
import { validateEnvironment } from '../src/config/env.schema.js';

/**
 * AppModule compiled in this process on `dbPath` (not initialised: no schedule), silent, that sees no Docker
 * and no named netns (their paths point nowhere in `scratch`), for a bench that writes or reads the database
 * through the agent's own services. `env` adds or overrides variables.
 */
export function compileOfflineAppModule(
  dbPath: string,
  scratch: string,
  env: Record<string, string> = {},
): Promise<TestingModule> {
  const validated = validateEnvironment({
    DB_PATH: dbPath,
    SNAPSHOT_INTERVAL: '86400',
    LOG_LEVEL: 'silent',
    NETNS_DIR: path.join(scratch, 'no-netns'),
    DOCKER_SOCKET: path.join(scratch, 'no-docker.sock'),
    ...env,
  });
  return Test.createTestingModule({ imports: [AppModule.forRoot(validated)] }).compile();
}

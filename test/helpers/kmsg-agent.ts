import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { KernelEvents1764400000000 } from '../../migrations/1764400000000-kernel-events.js';
import { KernelEventsModule } from '../../src/api/kernel-events/kernel-events.module.js';
import { API_PREFIX, loggerOption } from '../../src/app.factory.js';
import { AppModule } from '../../src/app.module.js';
import { ApiExceptionFilter } from '../../src/common/api-exception.filter.js';
import { CommonModule } from '../../src/common/common.module.js';
import { validateEnvironment } from '../../src/config/env.schema.js';
import { KmsgModule } from '../../src/kmsg/kmsg.module.js';
import { KmsgService } from '../../src/kmsg/kmsg.service.js';
import { StorageModule } from '../../src/storage/storage.module.js';
import { WebhooksModule } from '../../src/webhooks/webhooks.module.js';

export interface KmsgAgent {
  readonly app: INestApplication;
  readonly baseUrl: string;
  readonly kmsg: KmsgService;
  close(): Promise<void>;
}

export interface KmsgAgentOptions {
  readonly dbPath: string;
  /** Default /dev/kmsg. */
  readonly kmsgPath?: string;
  /** procfs root of the follower (boot_id, uptime, osrelease); default /proc. */
  readonly procRoot?: string;
  /** The whole AppModule (snapshots, namespaces API) next to the kernel-event modules; default false. */
  readonly withApp?: boolean;
  /** Background polling; default false (tests call kmsg.pollOnce()). */
  readonly schedule?: boolean;
}

/**
 * The kernel-event modules (KmsgModule + KernelEventsModule) wired the way the lead wires them into
 * AppModule, in this process, on a free loopback port, against a real SQLite file and real migrations.
 */
export async function startKmsgAgent(options: KmsgAgentOptions): Promise<KmsgAgent> {
  const env = validateEnvironment({
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    DB_PATH: options.dbPath,
    SNAPSHOT_INTERVAL: '3600',
  });
  const base = options.withApp
    ? [AppModule.forRoot(env)]
    : [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          load: [() => ({ ...env })],
        }),
        CommonModule,
        StorageModule,
        // StorageModule's SnapshotWriter enqueues webhook events: the outbox must be there.
        WebhooksModule,
      ];
  const kmsgModule = KmsgModule.forRoot({
    path: options.kmsgPath ?? '/dev/kmsg',
    schedule: options.schedule ?? false,
    ...(options.procRoot ? { procRoot: options.procRoot } : {}),
  });
  const moduleRef = await Test.createTestingModule({
    imports: [...base, kmsgModule, KernelEventsModule],
  }).compile();
  // The prefix, validation and error filter of the real app (configureApp's signature is being changed).
  const app = moduleRef.createNestApplication({ logger: loggerOption(env) });
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new ApiExceptionFilter());
  await ensureKernelEventsSchema(app.get(DataSource));
  await app.listen(0, '127.0.0.1');
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  return { app, baseUrl: `http://127.0.0.1:${port}`, kmsg: app.get(KmsgService), close: () => app.close() };
}

/**
 * Runs the kernel-events migration when the tables are missing: until it is listed in
 * migrations/all-migrations.ts, TypeORM does not run it at start. A no-op once it is registered.
 */
async function ensureKernelEventsSchema(dataSource: DataSource): Promise<void> {
  const rows: unknown[] = await dataSource.query(
    `SELECT 1 FROM "sqlite_master" WHERE "type" = 'table' AND "name" = 'kernel_events'`,
  );
  if (rows.length > 0) return;
  const runner = dataSource.createQueryRunner();
  try {
    await new KernelEvents1764400000000().up(runner);
  } finally {
    await runner.release();
  }
}

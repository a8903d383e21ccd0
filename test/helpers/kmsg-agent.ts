import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ScheduleModule } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KernelEventsModule } from '../../src/api/kernel-events/kernel-events.module.js';
import { API_PREFIX, loggerOption } from '../../src/app.factory.js';
import { AppModule } from '../../src/app.module.js';
import { ApiExceptionFilter } from '../../src/common/api-exception.filter.js';
import { CommonModule } from '../../src/common/common.module.js';
import { validateEnvironment } from '../../src/config/env.schema.js';
import { KmsgModule } from '../../src/kmsg/kmsg.module.js';
import { KmsgScheduler } from '../../src/kmsg/kmsg.scheduler.js';
import { KmsgService } from '../../src/kmsg/kmsg.service.js';

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
  /** procfs root of the follower (boot_id, uptime, osrelease) without withApp; default /proc. */
  readonly procRoot?: string;
  /** The whole AppModule (snapshots, namespaces API) and its own follower; default false (kernel-event modules). */
  readonly withApp?: boolean;
  /** Background polling; default false (tests call kmsg.pollOnce()). */
  readonly schedule?: boolean;
}

/**
 * A kernel log follower in this process, on a free loopback port, against a real SQLite file and real
 * migrations: either the whole AppModule, whose own KmsgModule follows the log (one follower only: two would
 * each store every burst), or the kernel-event modules alone.
 */
export async function startKmsgAgent(options: KmsgAgentOptions): Promise<KmsgAgent> {
  const schedule = options.schedule ?? false;
  const env = validateEnvironment({
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    DB_PATH: options.dbPath,
    SNAPSHOT_INTERVAL: '3600',
    KMSG_PATH: options.kmsgPath ?? '/dev/kmsg',
    ...(options.procRoot && !options.withApp ? { PROC_ROOT: options.procRoot } : {}),
    // AppModule always polls in the background; at the longest interval the test's own polls are the ones
    // that run (and a background one could only be skipped or drain the same follower).
    ...(options.withApp && !schedule ? { KMSG_POLL_INTERVAL_MS: '60000' } : {}),
  });
  const imports = options.withApp
    ? [AppModule.forRoot(env)]
    : [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          load: [() => ({ ...env })],
        }),
        CommonModule,
        KmsgModule,
        KernelEventsModule,
        ...(schedule ? [ScheduleModule.forRoot()] : []),
      ];
  const providers = !options.withApp && schedule ? [KmsgScheduler] : [];
  const moduleRef = await Test.createTestingModule({ imports, providers }).compile();
  // The prefix, validation and error filter of the real app (configureApp also needs MetricsModule).
  const app = moduleRef.createNestApplication({ logger: loggerOption(env) });
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new ApiExceptionFilter());
  await app.listen(0, '127.0.0.1');
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  return { app, baseUrl: `http://127.0.0.1:${port}`, kmsg: app.get(KmsgService), close: () => app.close() };
}

import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { ApiModule } from './api/api.module.js';
import { AccessGuard } from './common/access.guard.js';
import { CollectionModule } from './collection.module.js';
import { CommonModule } from './common/common.module.js';
import { MutationThrottlerGuard } from './common/mutation-throttler.guard.js';
import { KmsgModule } from './kernel-events/kmsg.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { RetentionModule } from './retention/retention.module.js';
import { SnapshotModule } from './snapshot/snapshot.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import type { EnvironmentVariables } from './config/env.schema.js';

@Module({})
export class AppModule {
  /**
   * `env` is already validated (validateEnvironment), so a bad variable never gets this far. Only config and
   * CommonModule are global; each capability module is imported once, here. Collection (snapshots, the kernel
   * log, retention) runs only when the app asks for it: not in READ_ONLY (postmortem) or CLI mode.
   */
  static forRoot(env: EnvironmentVariables): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          load: [() => ({ ...env })],
        }),
        ThrottlerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<EnvironmentVariables, true>) => [
            { ttl: 60_000, limit: config.get('RATE_LIMIT_PER_MINUTE', { infer: true }) },
          ],
        }),
        LoggerModule.forRoot({
          pinoHttp: {
            level: env.LOG_LEVEL,
            // Tokens never reach the log: the authorization header is redacted from request logs.
            redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
            autoLogging: { ignore: (req) => req.url === '/metrics' || req.url === '/api/v1/health' },
            customLogLevel: (_req, res, error) =>
              error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug',
          },
        }),
        ScheduleModule.forRoot(),
        CommonModule,
        MetricsModule,
        SnapshotModule,
        KmsgModule,
        WebhooksModule,
        RetentionModule,
        ApiModule,
        ...(env.READ_ONLY || env.CLI_MODE ? [] : [CollectionModule]),
      ],
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_GUARD, useClass: MutationThrottlerGuard },
      ],
    };
  }
}

import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '../config/env.schema.js';
import { RetentionJob } from './retention.job.js';
import { RetentionScheduler } from './retention.scheduler.js';
import {
  RETENTION_SETTINGS,
  RETENTION_VARIABLES,
  retentionSettings,
  type RetentionVariables,
} from './retention-settings.js';

/**
 * Background retention: downsamples and prunes old rows in small batches under the WriteLock. Relies on the
 * global StorageModule (RetentionRepository) and CommonModule (CLOCK). Off in READ_ONLY and CLI mode.
 */
@Module({
  providers: [
    {
      provide: RETENTION_SETTINGS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) =>
        retentionSettings(
          Object.fromEntries(
            RETENTION_VARIABLES.map((name) => [name, config.get(name, { infer: true })]),
          ) as RetentionVariables,
        ),
    },
    RetentionJob,
    RetentionScheduler,
  ],
  exports: [RetentionJob],
})
export class RetentionModule {}

import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '../config/env.schema.js';
import { RetentionJob } from './retention.job.js';
import { StorageModule } from '../storage/storage.module.js';
import {
  RETENTION_SETTINGS,
  RETENTION_VARIABLES,
  retentionSettings,
  type RetentionVariables,
} from './retention-settings.js';

/**
 * Retention: downsamples and prunes old rows in small batches under the WriteLock (RetentionRepository).
 * CollectionScheduler, which AppModule runs while collecting, calls the job; it is off in READ_ONLY and CLI mode.
 */
@Module({
  imports: [StorageModule],
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
  ],
  exports: [RetentionJob, RETENTION_SETTINGS],
})
export class RetentionModule {}

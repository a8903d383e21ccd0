import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { StorageModule } from '../storage/storage.module.js';
import { RetentionJob } from './retention.job.js';
import { RETENTION_SETTINGS, RETENTION_VARIABLES, retentionSettingsFrom } from './retention-settings.js';

/**
 * Retention: downsamples and prunes old rows in small batches under the WriteLock. CollectionScheduler, which
 * AppModule runs while collecting, calls the job; it is off in READ_ONLY and CLI mode.
 */
@Module({
  imports: [StorageModule],
  providers: [
    {
      provide: RETENTION_SETTINGS,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const names = [...Object.values(RETENTION_VARIABLES).map((v) => v.name), 'READ_ONLY', 'CLI_MODE'];
        const configured = Object.fromEntries(
          names.map((name) => [name, config.get<unknown>(name)]).filter(([, value]) => value !== undefined),
        );
        // Until EnvironmentVariables declares these, the process environment is their source.
        return retentionSettingsFrom({ ...process.env, ...configured });
      },
    },
    RetentionJob,
  ],
  exports: [RetentionJob, RETENTION_SETTINGS],
})
export class RetentionModule {}

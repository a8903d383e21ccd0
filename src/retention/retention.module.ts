import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RetentionJob } from './retention.job.js';
import { RetentionScheduler } from './retention.scheduler.js';
import { RETENTION_SETTINGS, RETENTION_VARIABLES, retentionSettingsFrom } from './retention-settings.js';

/**
 * Background retention: downsamples and prunes old rows in small batches under the WriteLock. Relies on the
 * global StorageModule (DataSource, WriteLock) and CommonModule (CLOCK). Off in READ_ONLY and CLI mode.
 */
@Module({
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
    RetentionScheduler,
  ],
  exports: [RetentionJob],
})
export class RetentionModule {}

import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ScheduleModule } from '@nestjs/schedule';
import { defaultCollectors } from '../collectors/collectors.js';
import type { EnvironmentVariables } from '../config/env.schema.js';
import { StorageModule } from '../storage/storage.module.js';
import { SnapshotScheduler } from './snapshot.scheduler.js';
import { SnapshotService } from './snapshot.service.js';
import { COLLECTORS, SNAPSHOT_SETTINGS, type SnapshotSettings } from './snapshot.tokens.js';

@Module({
  imports: [ScheduleModule.forRoot(), StorageModule],
  providers: [
    SnapshotService,
    SnapshotScheduler,
    { provide: COLLECTORS, useFactory: defaultCollectors },
    {
      provide: SNAPSHOT_SETTINGS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>): SnapshotSettings => ({
        procRoot: config.get('PROC_ROOT', { infer: true }),
        intervalSeconds: config.get('SNAPSHOT_INTERVAL', { infer: true }),
      }),
    },
  ],
  exports: [SnapshotService, SNAPSHOT_SETTINGS],
})
export class SnapshotModule {}

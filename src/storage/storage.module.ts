import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { EnvironmentVariables } from '../config/env.schema.js';
import { BootConfigWriter } from './boot-config.writer.js';
import { dataSourceOptions } from './data-source-options.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { EventFactsReader } from './event-facts.reader.js';
import { IncidentWriter } from './incident.writer.js';
import { KernelEventWriter } from './kernel-event.writer.js';
import { KeyCatalog } from './key-catalog.js';
import { LastKnownState } from './last-known-state.js';
import { LatestStateReader } from './latest-state.reader.js';
import { SaturationLevelsRepository } from './saturation-levels.repository.js';
import { SnapshotFactsLoader } from './snapshot-facts.loader.js';
import { REPOSITORIES } from './repositories/repositories.js';
import { SnapshotWriter } from './snapshot.writer.js';
import { SetLifetimes } from './set-lifetimes.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';
import { PreflightRepository } from './preflight.repository.js';
import { SnapshotsRepository } from './repositories/snapshots.repository.js';
import { StorageStatus } from './storage-status.js';
import { WriteLock } from './write-lock.js';
import { WriteTransaction } from './write-transaction.js';
import { DataVersionReader } from './data-version.js';

const STORAGE_PROVIDERS = [
  KeyCatalog,
  LastKnownState,
  SnapshotWriter,
  WriteLock,
  KernelEventWriter,
  SubscriptionsRepository,
  DeliveriesRepository,
  SaturationLevelsRepository,
  SnapshotFactsLoader,
  EventFactsReader,
  IncidentWriter,
  LatestStateReader,
  WriteTransaction,
  StorageStatus,
  SnapshotsRepository,
  PreflightRepository,
  SetLifetimes,
  BootConfigWriter,
  DataVersionReader,
  ...REPOSITORIES,
];

/**
 * The database: one connection (TypeORM's DataSource), the one WriteLock, and the repositories that hold
 * the SQL. Imported by every module that reads or writes; a static module, so one instance of each.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) => ({
        ...dataSourceOptions({
          dbPath: config.get('DB_PATH', { infer: true }),
          readOnly: config.get('READ_ONLY', { infer: true }),
          // The CLI's read commands look at a file the agent may be writing: read-only, not immutable.
          postmortem: config.get('READ_ONLY', { infer: true }) && !config.get('CLI_MODE', { infer: true }),
        }),
        // A local file that fails to open fails the same way three seconds later: no retry loop.
        toRetry: () => false,
      }),
    }),
  ],
  providers: STORAGE_PROVIDERS,
  exports: STORAGE_PROVIDERS,
})
export class StorageModule {}

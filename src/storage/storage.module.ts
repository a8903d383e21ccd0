import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { EnvironmentVariables } from '../config/env.schema.js';
import { dataSourceOptions } from './data-source-options.js';
import { KeyCatalog } from './key-catalog.js';
import { LastKnownState } from './last-known-state.js';
import { PreflightRepository } from './preflight.repository.js';
import { SnapshotsRepository } from './repositories/snapshots.repository.js';
import { SnapshotWriter } from './snapshot.writer.js';
import { StorageStatus } from './storage-status.js';
import { WriteLock } from './write-lock.js';
import { WriteTransaction } from './write-transaction.js';

/** Global: every feature module reads the database and writes through the one WriteLock. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) => ({
        ...dataSourceOptions({
          dbPath: config.get('DB_PATH', { infer: true }),
          readOnly: config.get('READ_ONLY', { infer: true }),
        }),
        // A local file that fails to open fails the same way three seconds later: no retry loop.
        toRetry: () => false,
      }),
    }),
  ],
  providers: [
    KeyCatalog,
    LastKnownState,
    SnapshotWriter,
    WriteLock,
    WriteTransaction,
    StorageStatus,
    SnapshotsRepository,
    PreflightRepository,
  ],
  exports: [
    KeyCatalog,
    LastKnownState,
    SnapshotWriter,
    WriteLock,
    WriteTransaction,
    StorageStatus,
    SnapshotsRepository,
    PreflightRepository,
  ],
})
export class StorageModule {}

import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { EnvironmentVariables } from '../config/env.schema.js';
import { dataSourceOptions } from './data-source-options.js';
import { KeyCatalog } from './key-catalog.js';
import { LastKnownState } from './last-known-state.js';
import { REPOSITORIES } from './repositories/repositories.js';
import { SnapshotWriter } from './snapshot.writer.js';
import { WriteLock } from './write-lock.js';
import { WriteTransactions } from './write-transactions.js';

/** Global: every feature module reads the database and writes through the one WriteLock. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) =>
        dataSourceOptions({
          dbPath: config.get('DB_PATH', { infer: true }),
          readOnly: config.get('READ_ONLY', { infer: true }),
        }),
    }),
  ],
  providers: [KeyCatalog, LastKnownState, SnapshotWriter, WriteLock, WriteTransactions, ...REPOSITORIES],
  exports: [KeyCatalog, LastKnownState, SnapshotWriter, WriteLock, WriteTransactions, ...REPOSITORIES],
})
export class StorageModule {}

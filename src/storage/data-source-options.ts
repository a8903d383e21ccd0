import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/all-migrations.js';
import { PostmortemDatabase } from './postmortem-database.js';
import { makeDatabaseFilePrivate } from './private-database-file.js';

export interface StorageSettings {
  readonly dbPath: string;
  readonly readOnly?: boolean;
  /**
   * Postmortem mode (READ_ONLY): the file is a copy nobody writes, opened immutable (postmortem-database.ts).
   * Not for a read-only look at a live file (the CLI), which must see the agent's concurrent commits.
   */
  readonly postmortem?: boolean;
}

/**
 * How long one statement may wait, blocking the event loop, for another process's lock. Short: a write waits
 * for the write lock at BEGIN IMMEDIATE on timers instead (write-transaction.ts), and WAL readers rarely wait.
 */
export const BUSY_TIMEOUT_MS = 250;

/**
 * SQLite's page cache of the connection, KiB (negative pragma value). better-sqlite3 builds SQLite with 16 MB
 * (SQLITE_DEFAULT_CACHE_SIZE=-16000), which the agent filled on a node with 110 pods: 16 MiB of resident
 * memory holding pages the kernel's page cache holds anyway. SQLite's own default, 2 MB, keeps the B-tree
 * interiors and hot leaves; the rest is read back from the page cache (README, "Memory": the RSS and API
 * latency before and after).
 */
export const PAGE_CACHE_KIB = 2048;

interface PragmaTarget {
  pragma(source: string): unknown;
}

/**
 * SQLite through better-sqlite3: WAL so API reads never wait on the writer, a busy timeout, and
 * synchronous=NORMAL (in WAL mode a process crash loses nothing committed; a power cut can lose the last
 * commits but never corrupts the file). Migrations run at start; synchronize is never on. No entities: every
 * read and write is hand-written SQL in the repositories, and the migrations alone define the schema.
 */
export function dataSourceOptions(settings: StorageSettings): DataSourceOptions {
  if (!settings.readOnly) makeDatabaseFilePrivate(settings.dbPath);
  return {
    type: 'better-sqlite3',
    database: settings.dbPath,
    // A copy is opened immutable: nothing created beside it, readable on read-only media.
    ...(settings.postmortem ? { driver: PostmortemDatabase } : {}),
    readonly: settings.readOnly ?? false,
    fileMustExist: settings.readOnly ?? false,
    enableWAL: !settings.readOnly,
    timeout: BUSY_TIMEOUT_MS,
    // No entities: every statement is hand-written SQL in the repositories of this folder.
    entities: [],
    migrations: MIGRATIONS,
    migrationsRun: !settings.readOnly,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    prepareDatabase: (db: PragmaTarget) => {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
      if (!settings.readOnly) db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
    },
  };
}

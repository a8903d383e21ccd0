import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/all-migrations.js';

export interface StorageSettings {
  readonly dbPath: string;
  readonly readOnly?: boolean;
}

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
  if (!settings.readOnly) mkdirSync(path.dirname(path.resolve(settings.dbPath)), { recursive: true });
  return {
    type: 'better-sqlite3',
    database: settings.dbPath,
    readonly: settings.readOnly ?? false,
    fileMustExist: settings.readOnly ?? false,
    enableWAL: !settings.readOnly,
    timeout: 5000,
    entities: [],
    migrations: MIGRATIONS,
    migrationsRun: !settings.readOnly,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    prepareDatabase: (db: PragmaTarget) => {
      db.pragma('busy_timeout = 5000');
      if (!settings.readOnly) db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
    },
  };
}

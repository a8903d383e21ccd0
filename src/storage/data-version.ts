import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Database, Statement } from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { sqliteHandle } from './storage-state.js';

const VERSION_STATEMENTS = new WeakMap<object, Statement<unknown[], unknown[]>>();

/**
 * A token that changes whenever the database's content may have: SQLite's `data_version` (commits of other
 * connections: another process writing the file) and this connection's `total_changes()` (its own writes,
 * counted when made). null while this connection has a transaction open (a read then may see rows that roll
 * back): nothing may be cached from such a read. Read it before the reads it keys, never after.
 */
export function dataVersion(dataSource: DataSource): string | null {
  const db = sqliteHandle(dataSource) as unknown as Database;
  if (db.inTransaction) return null;
  let statement = VERSION_STATEMENTS.get(db);
  if (!statement) {
    statement = db.prepare<unknown[], unknown[]>(
      `SELECT (SELECT "data_version" FROM pragma_data_version()), total_changes()`,
    );
    statement.raw(true);
    VERSION_STATEMENTS.set(db, statement);
  }
  const [other, own] = statement.get() as [number, number];
  return `${other}:${own}`;
}

/**
 * The last few results of a read, valid for one data version (dataVersion): a new version empties it. For
 * reads a client repeats (a report asked again, with another limit, with a baseline) that cost more than
 * reading the version; the values must not be changed by their users.
 */
export class VersionedCache<V> {
  private version: string | null = null;
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(version: string | null, key: string): V | undefined {
    if (version === null || version !== this.version) return undefined;
    return this.entries.get(key);
  }

  set(version: string | null, key: string, value: V): void {
    if (version === null) return;
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value ?? key);
  }
}

/** dataVersion of the agent's database, for services that keep results of reads (VersionedCache). */
@Injectable()
export class DataVersionReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  now(): string | null {
    return dataVersion(this.dataSource);
  }
}

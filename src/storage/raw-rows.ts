import type { Database, Statement } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { sqliteHandle } from './storage-state.js';

const CACHED_STATEMENTS = 16;
const STATEMENTS = new WeakMap<object, Map<string, Statement<unknown[], unknown[]>>>();

/**
 * Rows of a read as arrays (better-sqlite3's raw mode), one at a time: for reads of thousands of rows whose
 * caller keeps a little of each, so no object per row is built and held until the last row is read (on the
 * agent's small young generation, held rows are copied and promoted: most of a wide report's CPU was GC).
 * The statement is prepared once per connection and SQL text (the last 16 kept). The caller must not run
 * another statement on the connection before the iteration ends (better-sqlite3 refuses while a read is open).
 */
export function iterateRawRows(
  dataSource: DataSource,
  sql: string,
  params: readonly unknown[],
): IterableIterator<unknown[]> {
  const db = sqliteHandle(dataSource) as unknown as Database;
  let cache = STATEMENTS.get(db);
  if (!cache) {
    cache = new Map();
    STATEMENTS.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare<unknown[], unknown[]>(sql).raw(true);
    cache.set(sql, statement);
    // The SQL of a read depends on how many sets it names: keep the most recently prepared ones.
    if (cache.size > CACHED_STATEMENTS) cache.delete(cache.keys().next().value ?? sql);
  }
  return statement.iterate(...params);
}

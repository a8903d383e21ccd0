import type { MigrationInterface } from 'typeorm';
import type { DataSource } from 'typeorm';
import { WriteLock } from '../../src/storage/write-lock.js';

/**
 * Runs a migration the DataSource does not list yet (not registered in migrations/all-migrations.ts), unless
 * `table` already exists: once the migration is registered the agent has run it at start and this is a no-op.
 * Taken under the agent's WriteLock so it never interleaves with the startup snapshot's transaction.
 */
export async function ensureMigration(
  dataSource: DataSource,
  lock: WriteLock,
  table: string,
  migration: MigrationInterface,
): Promise<'ran' | 'already-there'> {
  return lock.exclusive(async () => {
    const found: unknown[] = await dataSource.query(
      `SELECT 1 FROM "sqlite_master" WHERE "type" = 'table' AND "name" = ?`,
      [table],
    );
    if (found.length > 0) return 'already-there';
    const runner = dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await migration.up(runner);
      await runner.commitTransaction();
      return 'ran';
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  });
}

import type { DataSource, EntityManager } from 'typeorm';
import type { WriteLock } from '../storage/write-lock.js';
import { runWriteTransaction } from '../storage/write-transaction.js';

/** A write transaction under the process-wide write lock (the only way this module writes). */
export function writeTransaction<T>(
  lock: WriteLock,
  dataSource: DataSource,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  return lock.exclusive(() => runWriteTransaction(dataSource, work));
}

/**
 * A read of rows another flow may be writing: under the lock too, because the agent has one SQLite
 * connection and a read while a snapshot transaction is open would see its uncommitted outbox rows.
 */
export function lockedRead<T>(lock: WriteLock, work: () => Promise<T>): Promise<T> {
  return lock.exclusive(work);
}

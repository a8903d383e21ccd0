import type { DataSource, EntityManager } from 'typeorm';
import type { WriteLock } from './write-lock.js';

/**
 * A write transaction under the process-wide write lock: the one way the agent writes (snapshots, kernel
 * events, incidents, webhook rows). Producers publish their durable events inside `work`.
 */
export function writeTransaction<T>(
  lock: WriteLock,
  dataSource: DataSource,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  return lock.exclusive(() => dataSource.transaction(work));
}

/**
 * A read of rows another flow may be writing: under the lock too, because the agent has one SQLite
 * connection and a read while a snapshot transaction is open would see its uncommitted outbox rows.
 */
export function lockedRead<T>(lock: WriteLock, work: () => Promise<T>): Promise<T> {
  return lock.exclusive(work);
}

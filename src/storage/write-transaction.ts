import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import { BUSY_TIMEOUT_MS } from './data-source-options.js';
import {
  describeFault,
  isStorageFault,
  sqliteCode,
  StorageWriteError,
  StorageWriteFault,
} from './storage-write.error.js';
import {
  databaseFileFault,
  type SqliteHandle,
  sqliteHandle,
  type StorageState,
  storageLogger,
  storageState,
} from './storage-state.js';
import { WriteLock } from './write-lock.js';

/** How long a write waits, without blocking the event loop, for another process to release the write lock. */
export const LOCK_WAIT_LIMIT_MS = 60_000;

/**
 * One write transaction on the agent's SQLite connection: BEGIN IMMEDIATE, the work, COMMIT, owned here on
 * the better-sqlite3 handle rather than by TypeORM. (TypeORM 1.1 keeps a transaction depth on the one query
 * runner it shares; when SQLite rolls back by itself after "database or disk is full", TypeORM's ROLLBACK
 * fails, the depth stays at 1, and every later "transaction" becomes a savepoint inside one that never
 * commits: the agent logs commits that never reach the file.)
 *
 * A failed write is a failed write: after any failure the connection is verified out of its transaction
 * (forced ROLLBACK), the failure is recorded for /health and /metrics, and the next write starts clean.
 * The caller holds the WriteLock (see `WriteTransaction` for both in one call).
 */
export async function runWriteTransaction<T>(
  dataSource: DataSource,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  const db = sqliteHandle(dataSource);
  const state = storageState(dataSource);
  const fileFault = databaseFileFault(state);
  if (fileFault) throw failed(state, new StorageWriteError(StorageWriteFault.FileGone, fileFault));
  const runner = dataSource.createQueryRunner();
  const runnerState = runner as unknown as RunnerState;
  leaveStrayTransaction(db, runnerState);
  try {
    await beginImmediate(db, state);
  } catch (error) {
    throw failed(state, error);
  }
  // TypeORM's own save()/insert() must see a transaction and not open one inside ours.
  runnerState.isTransactionActive = true;
  let committing = false;
  try {
    const result = await work(runner.manager);
    const outage = state.health.outage();
    if (outage) {
      const ended = {
        since: outage.since,
        until: Date.now(),
        failedWrites: outage.count,
        reason: outage.reason,
      };
      for (const writer of state.recoveryWriters) await writer(runner.manager, ended);
    }
    committing = true;
    db.exec('COMMIT');
    const { recoveredFrom } = state.health.committed(Date.now());
    if (recoveredFrom) {
      storageLogger.log(
        `writes recovered after ${recoveredFrom.count} failed write(s) since ` +
          `${new Date(recoveredFrom.since).toISOString()} (${recoveredFrom.reason})`,
      );
    }
    return result;
  } catch (error) {
    rollBack(db);
    if (committing || isStorageFault(error)) throw failed(state, error);
    throw error;
  } finally {
    // The query runner is shared by every query of the process: leave it with no transaction.
    runnerState.isTransactionActive = false;
    runnerState.transactionDepth = 0;
  }
}

/** The WriteLock and a write transaction in one call, for code that writes through Nest injection. */
@Injectable()
export class WriteTransaction {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
  ) {}

  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.lock.exclusive(() => runWriteTransaction(this.dataSource, work));
  }
}

/** BaseQueryRunner's fields (public and protected) that say whether a transaction is open. */
interface RunnerState {
  isTransactionActive: boolean;
  transactionDepth: number;
}

/**
 * Takes the write lock at BEGIN (IMMEDIATE), so no statement inside the transaction can wait on another
 * writer. The attempt itself does not wait (busy timeout 0): while another process holds the lock the agent
 * retries on timers, and the event loop keeps answering the API.
 */
async function beginImmediate(db: SqliteHandle, state: StorageState): Promise<void> {
  const started = Date.now();
  let delayMs = 5;
  try {
    for (;;) {
      if (tryBegin(db)) return;
      state.health.waitingForLock(started);
      const waited = Date.now() - started;
      if (waited >= LOCK_WAIT_LIMIT_MS) {
        throw new StorageWriteError(
          StorageWriteFault.LockTimeout,
          `another process held the database write lock for ${Math.round(waited / 1000)} s`,
        );
      }
      await sleep(delayMs);
      delayMs = Math.min(delayMs * 2, 200);
    }
  } finally {
    state.health.waitingForLock(null);
  }
}

/** True when BEGIN IMMEDIATE took the lock, false when another connection holds it. */
function tryBegin(db: SqliteHandle): boolean {
  db.pragma('busy_timeout = 0');
  try {
    db.exec('BEGIN IMMEDIATE');
    return true;
  } catch (error) {
    if (sqliteCode(error).startsWith('SQLITE_BUSY')) return false;
    throw error;
  } finally {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
}

/** A transaction left open on the connection by code outside this function (a bug): roll it back. */
function leaveStrayTransaction(db: SqliteHandle, runner: RunnerState): void {
  runner.isTransactionActive = false;
  runner.transactionDepth = 0;
  if (!db.inTransaction) return;
  storageLogger.error('the connection was left inside a transaction by an earlier write; rolling it back');
  rollBack(db);
}

/** ROLLBACK when SQLite has not already rolled back by itself; verified with `inTransaction`. */
function rollBack(db: SqliteHandle): void {
  if (!db.inTransaction) return;
  try {
    db.exec('ROLLBACK');
  } catch (error) {
    storageLogger.error(`ROLLBACK failed: ${describeFault(error)}`);
  }
  if (db.inTransaction) storageLogger.error('the connection is still inside a transaction after ROLLBACK');
}

/** Records the failure (logged once per outage, at error level) and returns the error to throw. */
function failed(state: StorageState, error: unknown): unknown {
  const reason = describeFault(error);
  if (state.health.failed(reason, Date.now())) {
    storageLogger.error(`writes fail: ${reason}; nothing is recorded until a write succeeds again`);
  }
  return error;
}

/**
 * A write transaction under the process-wide write lock: the one way the agent writes (snapshots, kernel
 * events, incidents, webhook rows). Producers publish their durable events inside `work`.
 */
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

import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DatabaseFile } from './database-file.js';
import { StorageWriteHealth } from './write-health.js';

/** The better-sqlite3 handle, as far as the agent uses it. */
export interface SqliteHandle {
  readonly name: string;
  readonly inTransaction: boolean;
  exec(source: string): unknown;
  pragma(source: string, options?: { simple: boolean }): unknown;
}

/** An outage of writes that the commit in progress ends. */
export interface StorageOutage {
  readonly since: number;
  readonly until: number;
  readonly failedWrites: number;
  readonly reason: string;
}

/** Adds rows to the first transaction that commits after an outage (in it: durable, and only if it commits). */
export type RecoveryWriter = (em: EntityManager, outage: StorageOutage) => Promise<void>;

/** What storage knows about one open database: the outcome of its writes and the file it has open. */
export interface StorageState {
  readonly health: StorageWriteHealth;
  readonly recoveryWriters: RecoveryWriter[];
  readonly file: DatabaseFile;
  /** The file fault last logged, so a fault is logged once, not at every check. */
  loggedFileFault: string | null;
}

const STATES = new WeakMap<DataSource, StorageState>();
export const storageLogger = new Logger('Storage');

/** The better-sqlite3 connection under TypeORM's driver (TypeORM 1.x: `driver.databaseConnection`). */
export function sqliteHandle(dataSource: DataSource): SqliteHandle {
  const driver = dataSource.driver as unknown as { databaseConnection?: SqliteHandle };
  if (!driver.databaseConnection) throw new Error('the database connection is not open');
  return driver.databaseConnection;
}

/** One state per data source, created on first use. */
export function storageState(dataSource: DataSource): StorageState {
  let state = STATES.get(dataSource);
  if (!state) {
    const dbPath = typeof dataSource.options.database === 'string' ? dataSource.options.database : '';
    state = {
      health: new StorageWriteHealth(),
      recoveryWriters: [],
      file: new DatabaseFile(dbPath),
      loggedFileFault: null,
    };
    STATES.set(dataSource, state);
  }
  return state;
}

/** Whether the database path still names the open file; a new fault is logged once, at error level. */
export function databaseFileFault(state: StorageState): string | null {
  const fault = state.file.fault();
  if (fault !== state.loggedFileFault) {
    if (fault) storageLogger.error(`${fault}: nothing is recorded until the agent is restarted`);
    else if (state.loggedFileFault) storageLogger.log('the database path names the open file again');
    state.loggedFileFault = fault;
  }
  return fault;
}

/**
 * Registers a writer for the first commit after an outage: what it writes is in that transaction, so a notice
 * of the outage is as durable as the recovery itself (and retried with it while writes still fail).
 */
export function onStorageRecovery(dataSource: DataSource, writer: RecoveryWriter): void {
  storageState(dataSource).recoveryWriters.push(writer);
}

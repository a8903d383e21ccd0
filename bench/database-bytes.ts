import { statSync } from 'node:fs';
import Database from 'better-sqlite3';

/** Bytes the database occupies once its WAL is folded in. */
export function databaseBytes(dbPath: string): number {
  const file = new Database(dbPath);
  try {
    file.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    file.close();
  }
  return statSync(dbPath).size;
}

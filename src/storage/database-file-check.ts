import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { describeFault } from './storage-write.error.js';

/** Damaged pages named in the one-line refusal; quick_check stops counting after this many. */
const REPORTED_PROBLEMS = 3;

/**
 * Checks the database file before the agent starts on it: SQLite's `quick_check` (every page and b-tree
 * readable and well-formed, without the index cross-check of integrity_check). Returns one sentence naming
 * the file and the fault, or null when the file is sound or does not exist yet (it is then created).
 */
export function databaseFileProblem(dbPath: string, readOnly: boolean): string | null {
  if (!existsSync(dbPath)) return null;
  let db: Database.Database | undefined;
  try {
    db = new Database(dbPath, { readonly: readOnly, fileMustExist: true, timeout: 1000 });
    const rows = db.pragma(`quick_check(${REPORTED_PROBLEMS})`) as { quick_check: string }[];
    const found = rows.map((r) => r.quick_check).filter((line) => line !== 'ok');
    if (found.length === 0) return null;
    return `database file ${dbPath} is damaged (SQLite quick_check: ${found.join('; ')})`;
  } catch (error) {
    return `database file ${dbPath} cannot be read as a SQLite database (${describeFault(error)})`;
  } finally {
    db?.close();
  }
}

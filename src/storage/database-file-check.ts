import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { PostmortemDatabase } from './postmortem-database.js';
import { describeFault, sqliteCode } from './storage-write.error.js';

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
    db = readOnly
      ? new PostmortemDatabase(dbPath, { timeout: 1000 })
      : new Database(dbPath, { fileMustExist: true, timeout: 1000 });
    const rows = db.pragma(`quick_check(${REPORTED_PROBLEMS})`) as { quick_check: string }[];
    const found = rows
      .flatMap((r) => r.quick_check.split('\n'))
      .map((line) => line.trim())
      .filter((line) => line !== '' && line !== 'ok' && !line.startsWith('***'));
    if (found.length === 0) return null;
    return `database file ${dbPath} is damaged (SQLite quick_check: ${found.join('; ')})`;
  } catch (error) {
    const code = sqliteCode(error);
    const what = code.startsWith('SQLITE_NOTADB')
      ? 'is not a SQLite database'
      : code.startsWith('SQLITE_CORRUPT')
        ? 'is damaged'
        : 'cannot be read';
    return `database file ${dbPath} ${what} (${describeFault(error)})`;
  } finally {
    db?.close();
  }
}

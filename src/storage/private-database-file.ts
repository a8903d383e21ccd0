import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';

/** Owner read and write only: the database holds webhook secrets and Basic-auth passwords in plain text. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_FOLDER_MODE = 0o700;

/** SQLite's companions of a database in WAL mode. */
const COMPANIONS = ['-wal', '-shm', '-journal'];

/**
 * Makes the database file private before SQLite opens it. A missing folder is created 0700 (an existing one is
 * left alone: it may be shared, like /var/lib); a missing file is created empty 0600 (SQLite starts a new
 * database in an empty file); an existing file and its companions lose any group or other permission.
 * SQLite creates the -wal and -shm files with the database file's permissions, so they follow at 0600.
 * Never called in postmortem (read-only) mode: a copied file there is read, not owned.
 */
export function makeDatabaseFilePrivate(dbPath: string): void {
  const file = path.resolve(dbPath);
  const folder = path.dirname(file);
  if (!existsSync(folder)) mkdirSync(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  try {
    closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
    for (const candidate of [file, ...COMPANIONS.map((suffix) => file + suffix)]) {
      if (!existsSync(candidate)) continue;
      const mode = statSync(candidate).mode & 0o777;
      if ((mode & 0o077) !== 0) chmodSync(candidate, mode & PRIVATE_FILE_MODE);
    }
  } catch (error) {
    throw new Error(
      `DB_PATH=${JSON.stringify(file)}: cannot make the database private (mode 0600): ${(error as Error).message}`,
      { cause: error },
    );
  }
}

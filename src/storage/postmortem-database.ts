import Database from 'better-sqlite3';
import { statSync } from 'node:fs';

/**
 * A copied database file opened for postmortem reading, on any media, leaving its folder as it was.
 *
 * A plain read-only open of a WAL-mode file needs its `-shm` index: SQLite creates `-wal` and `-shm` beside a
 * writable copy, and on a read-only mount it cannot and answers "unable to open database file". Without a
 * `-wal` holding commits, the copy is opened `immutable=1`: no lock, no `-shm`, no `-wal`, nothing written,
 * which works on read-only media. A copy taken with its non-empty `-wal` (commits not yet checkpointed into
 * the file) must be read through it, so it is opened `mode=ro` instead: SQLite uses the `-shm` beside it
 * (copy it too when the media is read-only).
 *
 * URI filenames must be on before better-sqlite3 loads its addon: the entry points set SQLITE_USE_URI=1.
 */
export function postmortemUri(dbPath: string): string {
  const path = encodeURI(dbPath).replaceAll('?', '%3f').replaceAll('#', '%23');
  return `file:${path}?${hasPendingWal(dbPath) ? 'mode=ro' : 'immutable=1'}`;
}

function hasPendingWal(dbPath: string): boolean {
  try {
    return statSync(`${dbPath}-wal`).size > 0;
  } catch {
    return false;
  }
}

/** better-sqlite3's Database, opened read-only through `postmortemUri` (TypeORM's `driver` option). */
export class PostmortemDatabase extends Database {
  constructor(dbPath: string, options?: Database.Options) {
    super(postmortemUri(dbPath), { ...options, readonly: true, fileMustExist: true });
  }
}

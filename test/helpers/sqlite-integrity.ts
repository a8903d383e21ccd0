import Database from 'better-sqlite3';

export interface IntegrityReport {
  /** Rows of `PRAGMA integrity_check`: `['ok']` for a sound file. */
  readonly integrity: string[];
  /** Rows of `PRAGMA foreign_key_check` (violations); empty when consistent. */
  readonly foreignKeyViolations: unknown[];
}

/** Opens a stopped agent's database read-only and runs SQLite's own consistency checks. */
export function checkDatabase(dbPath: string): IntegrityReport {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map(
      (r) => r.integrity_check,
    );
    const foreignKeyViolations = db.pragma('foreign_key_check') as unknown[];
    return { integrity, foreignKeyViolations };
  } finally {
    db.close();
  }
}

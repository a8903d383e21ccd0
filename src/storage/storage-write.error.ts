export enum StorageWriteFault {
  /** The database path no longer names the file the agent has open. */
  FileGone = 'file-gone',
  /** Another process held the write lock longer than the agent waits. */
  LockTimeout = 'lock-timeout',
}

/** A write the agent refused or gave up on before SQLite could fail it. */
export class StorageWriteError extends Error {
  constructor(
    readonly code: StorageWriteFault,
    message: string,
  ) {
    super(message);
    this.name = 'StorageWriteError';
  }
}

/**
 * SQLite result codes that say the storage cannot take writes (disk full, I/O error, read-only file or
 * folder, damaged file, locks), as opposed to a statement the agent got wrong (constraint, SQL error).
 */
const STORAGE_CODES = [
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_READONLY',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CANTOPEN',
  'SQLITE_PERM',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_NOMEM',
  'SQLITE_PROTOCOL',
];

export function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

export function isStorageFault(error: unknown): boolean {
  if (error instanceof StorageWriteError) return true;
  const code = sqliteCode(error);
  return STORAGE_CODES.some((prefix) => code === prefix || code.startsWith(`${prefix}_`));
}

/** "SQLITE_FULL: database or disk is full", or the message alone. */
export function describeFault(error: unknown): string {
  const message = error instanceof Error ? error.message.replace(/^SqliteError: /, '') : String(error);
  const code = sqliteCode(error);
  return code.startsWith('SQLITE_') ? `${code}: ${message}` : message;
}

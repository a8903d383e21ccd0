import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DataSource, type MigrationInterface } from 'typeorm';
import { MIGRATIONS } from '../migrations/all-migrations.js';

/**
 * A copy of `dbPath` for another tree's agent (`peerRoot`, built), as that tree's own migrations leave it:
 * the migrations of this tree it does not have are reverted (`down`) on the copy, newest first, so the peer
 * does not serve with an index it never creates.
 */
export async function peerDatabase(dbPath: string, peerRoot: string): Promise<string> {
  const copy = `${dbPath}.peer`;
  copyFileSync(dbPath, copy);
  const theirs = (await import(
    pathToFileURL(path.join(peerRoot, 'dist', 'migrations', 'all-migrations.js')).href
  )) as { MIGRATIONS: readonly (new () => MigrationInterface)[] };
  const known = new Set(theirs.MIGRATIONS.map((M) => new M().name));
  const extra = MIGRATIONS.map((M) => new M()).filter((m) => !known.has(m.name));
  if (extra.length === 0) return copy;
  const dataSource = new DataSource({ type: 'better-sqlite3', database: copy, migrations: [...MIGRATIONS] });
  await dataSource.initialize();
  try {
    const runner = dataSource.createQueryRunner();
    for (const m of extra.reverse()) {
      await m.down(runner);
      await runner.query(`DELETE FROM "migrations" WHERE "name" = ?`, [m.name]);
    }
    await runner.release();
    await dataSource.query(`PRAGMA wal_checkpoint(TRUNCATE)`);
  } finally {
    await dataSource.destroy();
  }
  return copy;
}

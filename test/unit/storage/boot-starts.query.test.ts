import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/all-migrations.js';
import { positionalParams } from '../../../src/storage/named-params.js';
import { BOOT_STARTS } from '../../../src/storage/repositories/boots.repository.js';

let dataSource: DataSource;

before(async () => {
  dataSource = new DataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    migrations: [...MIGRATIONS],
    synchronize: false,
    logging: false,
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
});

after(async () => {
  await dataSource.destroy();
});

/** The plan the reboots of history and diff rely on: seeks only, never a pass over the snapshots. */
test('the boot starts are found by seeks on ix_snapshots_boot and the rowid, with no scan of the snapshots', async () => {
  const query = positionalParams(BOOT_STARTS, { to: 1 });
  const plan: { detail: string }[] = await dataSource.query(`EXPLAIN QUERY PLAN ${query.sql}`, query.params);
  const details = plan.map((row) => row.detail);
  const text = details.join('\n');
  assert.ok(!details.some((d) => /^SCAN (snapshots|[spx])\b/.test(d)), text);
  assert.ok(
    details.some((d) => /^SEARCH s USING COVERING INDEX ix_snapshots_boot \(boot_id=\?\)/.test(d)),
    text,
  );
  assert.ok(
    details.some((d) => /^SEARCH x USING COVERING INDEX ix_snapshots_boot \(boot_id=\? AND id>\?\)/.test(d)),
    text,
  );
  assert.ok(
    details.some((d) => /^SEARCH p USING INTEGER PRIMARY KEY \(rowid<\?\)/.test(d)),
    text,
  );
});

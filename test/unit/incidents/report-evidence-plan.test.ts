import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/all-migrations.js';
import { changesSql } from '../../../src/api/incidents/report-evidence.query.js';

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
  await dataSource?.destroy();
});

test("a report's changes find each previous value by namespace, end and key, not by a range scan", async () => {
  const plan: { detail: string }[] = await dataSource.query(
    `EXPLAIN QUERY PLAN ${changesSql(3)}`,
    [1, 2, 3, 0, 1],
  );
  const details = plan.map((row) => row.detail);
  const previous = details.find((detail) => /^SEARCH o /.test(detail));
  assert.ok(previous, details.join('\n'));
  assert.match(previous, /\(namespace_id=\? AND valid_to=\? AND key_id=\?\)/);
  assert.ok(!details.some((detail) => /^SCAN (v|o)\b/.test(detail)), details.join('\n'));
});

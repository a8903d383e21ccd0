import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/all-migrations.js';
import { SettingValuesWindowValues1764510000000 } from '../../../migrations/1764510000000-setting-values-window-values.js';
import { changesSql } from '../../../src/storage/repositories/incident-evidence.repository.js';

const ROWS = `SELECT "namespace_id", "key_id", "value", "valid_from", "valid_to", "opened_by", "closed_by", "changed_after"
                FROM "setting_values" ORDER BY "id"`;

/**
 * A database of the previous release with a history of two values: the migration rebuilds the two window
 * indexes with the values in them, keeps every row, and the report's read of changes is then covering.
 */
test('the window indexes carry the values after the migration, and the history is kept', async () => {
  const previous = MIGRATIONS.filter((m) => m !== SettingValuesWindowValues1764510000000);
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-window-values-'));
  const database = path.join(dir, 'ledger.sqlite');
  const old = new DataSource({ type: 'better-sqlite3', database, migrations: previous });
  const upgraded = new DataSource({ type: 'better-sqlite3', database, migrations: [...MIGRATIONS] });
  try {
    await old.initialize();
    await old.runMigrations();
    await old.query(
      `INSERT INTO "snapshots" ("id", "taken_at", "duration_ms", "keys_read", "namespaces_read", "change_count", "errors", "trigger")
       VALUES (1, 0, 1, 1, 1, 0, '[]', 'startup'), (2, 100, 1, 1, 1, 1, '[]', 'interval')`,
    );
    await old.query(
      `INSERT INTO "namespaces" ("id", "kind", "identity", "first_seen_at", "last_seen_at") VALUES (1, 'host', 'host', 0, 100)`,
    );
    await old.query(
      `INSERT INTO "keys" ("id", "name", "scope", "volatile", "child_visibility", "classification_source", "access", "first_seen_at")
       VALUES (1, 'net.core.somaxconn', 'net', 0, 'isolated', 'probe', 'readable', 0)`,
    );
    await old.query(
      `INSERT INTO "setting_values" ("namespace_id", "key_id", "value", "valid_from", "valid_to", "opened_by", "closed_by", "changed_after")
       VALUES (1, 1, '4096', 0, 100, 1, 2, NULL), (1, 1, '128', 100, NULL, 2, NULL, 0)`,
    );
    const before: unknown[] = await old.query(ROWS);
    await old.destroy();
    await upgraded.initialize();
    await upgraded.runMigrations();
    assert.deepEqual(await upgraded.query(ROWS), before);
    const columns = async (index: string): Promise<string[]> =>
      (
        (await upgraded.query(`SELECT "name" FROM pragma_index_info(?) ORDER BY "seqno"`, [index])) as {
          name: string;
        }[]
      ).map((c) => c.name);
    assert.deepEqual(await columns('ix_setting_values_from_key'), [
      'namespace_id',
      'valid_from',
      'key_id',
      'value',
      'changed_after',
    ]);
    assert.deepEqual(await columns('ix_setting_values_to_key'), [
      'namespace_id',
      'valid_to',
      'key_id',
      'value',
    ]);
    const plan: { detail: string }[] = await upgraded.query(
      `EXPLAIN QUERY PLAN ${changesSql(1)}`,
      [1, 0, 200, 1, 0, 1],
    );
    const details = plan.map((row) => row.detail).join('\n');
    assert.match(details, /SEARCH v USING COVERING INDEX ix_setting_values_from_key/);
    assert.match(details, /SEARCH o USING COVERING INDEX ix_setting_values_to_key/);
    await upgraded.undoLastMigration();
    assert.deepEqual(await columns('ix_setting_values_from_key'), ['namespace_id', 'valid_from', 'key_id']);
    assert.deepEqual(await upgraded.query(ROWS), before);
  } finally {
    if (old.isInitialized) await old.destroy();
    if (upgraded.isInitialized) await upgraded.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});

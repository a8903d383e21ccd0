import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change-only history schema (DESIGN.md "Storage"). Times are epoch milliseconds in INTEGER columns.
 * Reviewed by hand: indexes serve "state at T" (namespace, valid_from / valid_to), "history of key K"
 * (namespace, key, valid_from), and "changes of snapshot S" (opened_by / closed_by).
 */
export class InitialSchema1764380000000 implements MigrationInterface {
  name = 'InitialSchema1764380000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "snapshots" (
      "id" INTEGER PRIMARY KEY AUTOINCREMENT,
      "taken_at" INTEGER NOT NULL,
      "duration_ms" INTEGER NOT NULL,
      "keys_read" INTEGER NOT NULL,
      "namespaces_read" INTEGER NOT NULL,
      "change_count" INTEGER NOT NULL,
      "errors" TEXT NOT NULL,
      "trigger" TEXT NOT NULL
    )`);
    await runner.query(`CREATE INDEX "ix_snapshots_taken_at" ON "snapshots" ("taken_at")`);

    await runner.query(`CREATE TABLE "namespaces" (
      "id" INTEGER PRIMARY KEY AUTOINCREMENT,
      "kind" TEXT NOT NULL,
      "identity" TEXT NOT NULL,
      "net_inode" INTEGER,
      "ipc_inode" INTEGER,
      "uts_inode" INTEGER,
      "first_seen_at" INTEGER NOT NULL,
      "last_seen_at" INTEGER NOT NULL
    )`);
    await runner.query(`CREATE UNIQUE INDEX "ux_namespaces_identity" ON "namespaces" ("identity")`);

    await runner.query(`CREATE TABLE "keys" (
      "id" INTEGER PRIMARY KEY AUTOINCREMENT,
      "name" TEXT NOT NULL,
      "scope" TEXT NOT NULL,
      "volatile" BOOLEAN NOT NULL,
      "child_visibility" TEXT,
      "classification_source" TEXT NOT NULL,
      "evidence" TEXT,
      "access" TEXT NOT NULL,
      "first_seen_at" INTEGER NOT NULL
    )`);
    await runner.query(`CREATE UNIQUE INDEX "ux_keys_name" ON "keys" ("name")`);

    await runner.query(`CREATE TABLE "setting_values" (
      "id" INTEGER PRIMARY KEY AUTOINCREMENT,
      "namespace_id" INTEGER NOT NULL REFERENCES "namespaces" ("id"),
      "key_id" INTEGER NOT NULL REFERENCES "keys" ("id"),
      "value" TEXT,
      "valid_from" INTEGER NOT NULL,
      "valid_to" INTEGER,
      "opened_by" INTEGER NOT NULL REFERENCES "snapshots" ("id"),
      "closed_by" INTEGER REFERENCES "snapshots" ("id")
    )`);
    await runner.query(
      `CREATE INDEX "ix_setting_values_history" ON "setting_values" ("namespace_id", "key_id", "valid_from")`,
    );
    await runner.query(
      `CREATE INDEX "ix_setting_values_from" ON "setting_values" ("namespace_id", "valid_from")`,
    );
    await runner.query(
      `CREATE INDEX "ix_setting_values_to" ON "setting_values" ("namespace_id", "valid_to")`,
    );
    await runner.query(`CREATE INDEX "ix_setting_values_opened_by" ON "setting_values" ("opened_by")`);
    await runner.query(
      `CREATE INDEX "ix_setting_values_closed_by" ON "setting_values" ("closed_by") WHERE "closed_by" IS NOT NULL`,
    );
    await runner.query(
      `CREATE UNIQUE INDEX "ux_setting_values_open" ON "setting_values" ("namespace_id", "key_id") WHERE "valid_to" IS NULL`,
    );

    await runner.query(`CREATE TABLE "volatile_values" (
      "namespace_id" INTEGER NOT NULL REFERENCES "namespaces" ("id"),
      "key_id" INTEGER NOT NULL REFERENCES "keys" ("id"),
      "value" TEXT,
      "read_at" INTEGER NOT NULL,
      PRIMARY KEY ("namespace_id", "key_id")
    ) WITHOUT ROWID`);

    await runner.query(`CREATE TABLE "usage_samples" (
      "id" INTEGER PRIMARY KEY AUTOINCREMENT,
      "snapshot_id" INTEGER NOT NULL REFERENCES "snapshots" ("id"),
      "namespace_id" INTEGER NOT NULL REFERENCES "namespaces" ("id"),
      "metric" TEXT NOT NULL,
      "taken_at" INTEGER NOT NULL,
      "usage" REAL NOT NULL,
      "limit_value" REAL NOT NULL
    )`);
    await runner.query(
      `CREATE INDEX "ix_usage_samples_series" ON "usage_samples" ("metric", "namespace_id", "taken_at")`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'usage_samples',
      'volatile_values',
      'setting_values',
      'keys',
      'namespaces',
      'snapshots',
    ]) {
      await runner.query(`DROP TABLE "${table}"`);
    }
  }
}

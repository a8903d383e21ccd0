import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Runtime vs boot configuration (issue 15, part 1).
 * - `snapshots.boot_id`: the kernel's boot id when the snapshot was taken (`/proc/sys/kernel/random/boot_id`);
 *   two consecutive snapshots with different ids have a reboot between them. NULL for snapshots taken before
 *   this migration (unknown, never read as a reboot).
 * - `configured_values`: change-only history of what the boot configuration (sysctl.d) would set per key, with
 *   the line that says so. Keyed by key name, not `keys.id`: a key this kernel does not have is recorded too.
 * - `config_drifts`: one row per period a key's runtime value differed from its configured value (or the key was
 *   configured but unknown to the kernel); the open row holds the latest runtime/configured values.
 * Snapshot ids are plain integers (no foreign key): retention may drop old snapshots without touching these.
 */
export class BootConfiguration1764465000000 implements MigrationInterface {
  name = 'BootConfiguration1764465000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "snapshots" ADD COLUMN "boot_id" text`);
    await runner.query(
      `CREATE TABLE "configured_values" (
        "id" integer PRIMARY KEY AUTOINCREMENT,
        "key" text NOT NULL,
        "value" text NOT NULL,
        "source_file" text NOT NULL,
        "source_line" integer NOT NULL,
        "glob" text,
        "ignore_failure" integer NOT NULL,
        "valid_from" integer NOT NULL,
        "valid_to" integer,
        "opened_by" integer NOT NULL,
        "closed_by" integer
      )`,
    );
    // "Configured now" (valid_to IS NULL) and one key's history.
    await runner.query(
      `CREATE INDEX "ix_configured_values_key" ON "configured_values" ("key", "valid_from")`,
    );
    await runner.query(`CREATE INDEX "ix_configured_values_open" ON "configured_values" ("valid_to", "key")`);
    await runner.query(
      `CREATE TABLE "config_drifts" (
        "id" integer PRIMARY KEY AUTOINCREMENT,
        "key" text NOT NULL,
        "runtime" text,
        "configured" text NOT NULL,
        "source_file" text NOT NULL,
        "source_line" integer NOT NULL,
        "unknown_to_kernel" integer NOT NULL,
        "at_reboot" integer NOT NULL,
        "valid_from" integer NOT NULL,
        "valid_to" integer,
        "opened_by" integer NOT NULL,
        "closed_by" integer
      )`,
    );
    await runner.query(`CREATE INDEX "ix_config_drifts_open" ON "config_drifts" ("valid_to", "key")`);
    await runner.query(`CREATE INDEX "ix_config_drifts_key" ON "config_drifts" ("key", "valid_from")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "config_drifts"`);
    await runner.query(`DROP TABLE "configured_values"`);
    await runner.query(`ALTER TABLE "snapshots" DROP COLUMN "boot_id"`);
  }
}

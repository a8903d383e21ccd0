import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A change is detected at a snapshot, not made there: it happened after the previous reading of its set and at
 * or before the reading that saw it. `setting_values.changed_after` is that previous reading for the change that
 * opened the row (NULL when the set had never been read before: the value was there when the agent first
 * looked); `ended_after` the same for the change that closed it. `namespaces.last_read_at` is the last snapshot
 * that read the set completely, so the next change knows its lower bound across restarts.
 * Existing rows: the previous reading is the previous snapshot (no per-set reading was recorded); a row opened
 * by the set's first snapshot has none.
 *
 * Kernel events: "net_ratelimit: N callbacks suppressed" is one host-wide counter and is no longer credited to
 * a burst. Bursts that were credited get their printed lines back (`count` − `suppressed`), and what was added
 * becomes a host-wide `net-ratelimit-suppressed` row at the burst's end, marked as moved by this migration;
 * `count` of those rows is lines (it was the sum of N), at least one where it is not known.
 */
export class ChangeIntervals1764475000000 implements MigrationInterface {
  name = 'ChangeIntervals1764475000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "setting_values" ADD COLUMN "changed_after" INTEGER`);
    await runner.query(`ALTER TABLE "setting_values" ADD COLUMN "ended_after" INTEGER`);
    await runner.query(`ALTER TABLE "namespaces" ADD COLUMN "last_read_at" INTEGER`);
    await runner.query(`UPDATE "namespaces" SET "last_read_at" = "last_seen_at"`);
    await runner.query(
      `UPDATE "setting_values" SET "changed_after" =
         (SELECT max(s."taken_at") FROM "snapshots" s WHERE s."taken_at" < "setting_values"."valid_from")
        WHERE "valid_from" > (SELECT n."first_seen_at" FROM "namespaces" n WHERE n."id" = "setting_values"."namespace_id")`,
    );
    await runner.query(
      `UPDATE "setting_values" SET "ended_after" =
         (SELECT max(s."taken_at") FROM "snapshots" s WHERE s."taken_at" < "setting_values"."valid_to")
        WHERE "valid_to" IS NOT NULL`,
    );
    // Its own rows counted N, not lines: their line count is not known, at least one each.
    await runner.query(
      `UPDATE "kernel_events" SET "count" = max(1, "count" - "suppressed") WHERE "signature" = 'net-ratelimit-suppressed'`,
    );
    await runner.query(
      `INSERT INTO "kernel_events" ("signature", "key", "namespace_id", "net_inode", "first_at", "last_at", "count",
         "suppressed", "sample_line", "first_seq", "last_seq", "boot_id")
       SELECT 'net-ratelimit-suppressed', 'net.core.message_cost', NULL, NULL, "last_at", "last_at", 1, "suppressed",
              'net_ratelimit: ' || "suppressed" || ' callbacks suppressed (moved from kernel event ' || "id" || ' by a migration)',
              "last_seq", "last_seq", "boot_id"
         FROM "kernel_events" WHERE "signature" <> 'net-ratelimit-suppressed' AND "suppressed" > 0`,
    );
    await runner.query(
      `UPDATE "kernel_events" SET "count" = "count" - "suppressed", "suppressed" = 0
        WHERE "signature" <> 'net-ratelimit-suppressed' AND "suppressed" > 0`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "namespaces" DROP COLUMN "last_read_at"`);
    await runner.query(`ALTER TABLE "setting_values" DROP COLUMN "ended_after"`);
    await runner.query(`ALTER TABLE "setting_values" DROP COLUMN "changed_after"`);
  }
}

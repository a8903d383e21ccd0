import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Kernel log events (DESIGN.md "kernel event") and the /dev/kmsg read position. One kernel_events row per
 * burst of one signature in one namespace: a storm of lines grows `count` and `last_at` instead of adding rows.
 * `namespace_id` is set when the line names a network namespace that a snapshot has seen (else `net_inode`
 * alone keeps the attribution). Indexes serve "events in [from, to]" (an event overlaps the window when
 * first_at <= to and last_at >= from) and "events of signature S in a window". kmsg_cursor holds one row.
 */
export class KernelEvents1764400000000 implements MigrationInterface {
  name = 'KernelEvents1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "kernel_events" (
      "id" INTEGER PRIMARY KEY AUTOINCREMENT,
      "signature" TEXT NOT NULL,
      "key" TEXT NOT NULL,
      "namespace_id" INTEGER REFERENCES "namespaces" ("id"),
      "net_inode" INTEGER,
      "first_at" INTEGER NOT NULL,
      "last_at" INTEGER NOT NULL,
      "count" INTEGER NOT NULL,
      "suppressed" INTEGER NOT NULL DEFAULT 0,
      "sample_line" TEXT NOT NULL,
      "first_seq" INTEGER NOT NULL,
      "last_seq" INTEGER NOT NULL,
      "boot_id" TEXT NOT NULL
    )`);
    await runner.query(`CREATE INDEX "ix_kernel_events_time" ON "kernel_events" ("first_at", "last_at")`);
    await runner.query(`CREATE INDEX "ix_kernel_events_last_at" ON "kernel_events" ("last_at")`);
    await runner.query(
      `CREATE INDEX "ix_kernel_events_signature" ON "kernel_events" ("signature", "first_at")`,
    );
    await runner.query(
      `CREATE INDEX "ix_kernel_events_namespace" ON "kernel_events" ("namespace_id", "first_at") WHERE "namespace_id" IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX "ix_kernel_events_net_inode" ON "kernel_events" ("net_inode", "first_at") WHERE "net_inode" IS NOT NULL`,
    );

    await runner.query(`CREATE TABLE "kmsg_cursor" (
      "id" INTEGER PRIMARY KEY CHECK ("id" = 1),
      "boot_id" TEXT NOT NULL,
      "last_seq" INTEGER NOT NULL,
      "updated_at" INTEGER NOT NULL
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "kmsg_cursor"`);
    await runner.query(`DROP TABLE "kernel_events"`);
  }
}

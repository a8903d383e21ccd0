import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook subscriptions, their deliveries (the transactional outbox and the delivery log in one table), and
 * the saturation level of every usage series (so a restart does not fire a threshold crossing twice).
 * Times are epoch milliseconds. Deliveries of a deleted subscription go with it.
 */
export class Webhooks1764410000000 implements MigrationInterface {
  name = 'Webhooks1764410000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "webhooks" (
      "id" INTEGER PRIMARY KEY AUTOINCREMENT,
      "url" TEXT NOT NULL,
      "secret" TEXT NOT NULL,
      "events" TEXT NOT NULL,
      "key_filters" TEXT NOT NULL DEFAULT '[]',
      "namespace_filters" TEXT NOT NULL DEFAULT '[]',
      "description" TEXT,
      "active" BOOLEAN NOT NULL DEFAULT 1,
      "created_at" INTEGER NOT NULL,
      "updated_at" INTEGER NOT NULL
    )`);

    await runner.query(`CREATE TABLE "webhook_deliveries" (
      "id" INTEGER PRIMARY KEY AUTOINCREMENT,
      "delivery_id" TEXT NOT NULL,
      "webhook_id" INTEGER NOT NULL REFERENCES "webhooks" ("id") ON DELETE CASCADE,
      "event_type" TEXT NOT NULL,
      "event_count" INTEGER NOT NULL,
      "body" TEXT NOT NULL,
      "status" TEXT NOT NULL,
      "attempts" INTEGER NOT NULL DEFAULT 0,
      "next_attempt_at" INTEGER NOT NULL,
      "last_attempt_at" INTEGER,
      "last_status_code" INTEGER,
      "last_error" TEXT,
      "attempt_log" TEXT NOT NULL DEFAULT '[]',
      "created_at" INTEGER NOT NULL,
      "delivered_at" INTEGER
    )`);
    await runner.query(
      `CREATE UNIQUE INDEX "ux_webhook_deliveries_delivery_id" ON "webhook_deliveries" ("delivery_id")`,
    );
    await runner.query(
      `CREATE INDEX "ix_webhook_deliveries_due" ON "webhook_deliveries" ("next_attempt_at") WHERE "status" = 'pending'`,
    );
    await runner.query(
      `CREATE INDEX "ix_webhook_deliveries_log" ON "webhook_deliveries" ("webhook_id", "status", "id")`,
    );

    await runner.query(`CREATE TABLE "saturation_levels" (
      "namespace_id" INTEGER NOT NULL REFERENCES "namespaces" ("id"),
      "metric" TEXT NOT NULL,
      "level" TEXT NOT NULL,
      "ratio" REAL NOT NULL,
      "snapshot_id" INTEGER NOT NULL REFERENCES "snapshots" ("id"),
      "updated_at" INTEGER NOT NULL,
      PRIMARY KEY ("namespace_id", "metric")
    ) WITHOUT ROWID`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "saturation_levels"`);
    await runner.query(`DROP TABLE "webhook_deliveries"`);
    await runner.query(`DROP TABLE "webhooks"`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Incidents: a time window (and optionally a namespace set) where something failed, opened by an operator or
 * automatically by a kernel event. At most one open automatic incident per signature and namespace set.
 */
export class Incidents1764430000000 implements MigrationInterface {
  name = 'Incidents1764430000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "incidents" (
      "id" INTEGER PRIMARY KEY AUTOINCREMENT,
      "title" TEXT NOT NULL,
      "started_at" INTEGER NOT NULL,
      "ended_at" INTEGER,
      "namespace_id" INTEGER REFERENCES "namespaces" ("id"),
      "symptoms" TEXT NOT NULL DEFAULT '[]',
      "source" TEXT NOT NULL,
      "signature" TEXT,
      "created_at" INTEGER NOT NULL
    )`);
    await runner.query(`CREATE INDEX "ix_incidents_started_at" ON "incidents" ("started_at")`);
    await runner.query(
      `CREATE UNIQUE INDEX "ux_incidents_open_auto" ON "incidents" ("signature", coalesce("namespace_id", 0))
        WHERE "source" = 'kernel-event' AND "ended_at" IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "incidents"`);
  }
}

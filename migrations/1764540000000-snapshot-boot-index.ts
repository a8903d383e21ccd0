import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index of the snapshots by boot id, so the reboots of a window (GET /settings/:key/history, GET /diff) are
 * found by a seek per boot instead of a pass over every snapshot (BootsRepository.reboots). `taken_at` is in it
 * so the seeks also test a snapshot's time without reading its row. Only adds an index: no row changes.
 */
export class SnapshotBootIndex1764540000000 implements MigrationInterface {
  name = 'SnapshotBootIndex1764540000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX IF NOT EXISTS "ix_snapshots_boot" ON "snapshots" ("boot_id", "id", "taken_at")`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS "ix_snapshots_boot"`);
  }
}

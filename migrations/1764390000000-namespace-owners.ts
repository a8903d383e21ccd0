import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Owners of namespace sets (containers, named netns, processes) with their own lifecycle, and a per-snapshot
 * summary of how each set was read. Owners are unique per set by (kind, ref): container id, netns name, pid.
 */
export class NamespaceOwners1764390000000 implements MigrationInterface {
  name = 'NamespaceOwners1764390000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "owners" (
      "id" INTEGER PRIMARY KEY AUTOINCREMENT,
      "namespace_id" INTEGER NOT NULL REFERENCES "namespaces" ("id"),
      "kind" TEXT NOT NULL,
      "ref" TEXT NOT NULL,
      "name" TEXT NOT NULL,
      "image" TEXT,
      "labels" TEXT,
      "declared_sysctls" TEXT,
      "network_mode" TEXT,
      "pid" INTEGER,
      "first_seen_at" INTEGER NOT NULL,
      "last_seen_at" INTEGER NOT NULL
    )`);
    await runner.query(
      `CREATE UNIQUE INDEX "ux_owners_identity" ON "owners" ("namespace_id", "kind", "ref")`,
    );
    await runner.query(`CREATE INDEX "ix_owners_name" ON "owners" ("name")`);
    await runner.query(`CREATE INDEX "ix_owners_ref" ON "owners" ("ref")`);
    await runner.query(`CREATE INDEX "ix_namespaces_seen" ON "namespaces" ("first_seen_at", "last_seen_at")`);
    await runner.query(`ALTER TABLE "snapshots" ADD COLUMN "read_methods" TEXT NOT NULL DEFAULT '{}'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "snapshots" DROP COLUMN "read_methods"`);
    await runner.query(`DROP INDEX "ix_namespaces_seen"`);
    await runner.query(`DROP TABLE "owners"`);
  }
}

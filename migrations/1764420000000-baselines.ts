import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Imported baselines (DESIGN.md "baseline"). The validated bundle is stored whole as JSON text: a baseline is
 * immutable, always read whole (a diff needs every value and the classification), a few hundred KB at most, and
 * its keys need not exist in this host's catalog, so normalised rows would add ~1,500 rows per baseline and a
 * second key catalog for no query we make. The columns beside it are what the list shows without parsing it.
 */
export class Baselines1764420000000 implements MigrationInterface {
  name = 'Baselines1764420000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "baselines" (
      "id" INTEGER PRIMARY KEY AUTOINCREMENT,
      "name" TEXT NOT NULL,
      "imported_at" INTEGER NOT NULL,
      "hostname" TEXT,
      "kernel_release" TEXT,
      "at" INTEGER NOT NULL,
      "format_version" INTEGER NOT NULL,
      "key_count" INTEGER NOT NULL,
      "namespace_count" INTEGER NOT NULL,
      "bundle" TEXT NOT NULL
    )`);
    await runner.query(`CREATE UNIQUE INDEX "ux_baselines_name" ON "baselines" ("name")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "baselines"`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A namespace set has a lifetime (DESIGN.md "Identity has a lifetime"): the kernel reuses a freed namespace's
 * inode number at once, so a set is its inode numbers *while* something proves it is the same namespace.
 * - `started_at`: when it began, as best known (its first container's start, else the first snapshot that saw
 *   it); `ended_at`: when it was found gone, or when the set that reused its numbers began; NULL while alive.
 * - `evidence`: JSON array of what proves continuity, as last seen (container ids, pid + start time,
 *   netns bind mounts); NULL for sets stored before this migration (they continue once, then record it).
 * Backfill, keeping every row: started_at = first_seen_at; a set neither seen by the last snapshot nor holding
 * an open interval ended at the first snapshot after its last sighting; a living set's evidence is the
 * containers it had at its last sighting. Sets that an older agent merged across a reuse stay one row.
 * `ix_namespaces_net_inode` serves kernel-event attribution (a net inode at an instant); the partial
 * `ix_namespaces_living` the living sets each snapshot matches against, however many sets have ended.
 */
export class NamespaceLifetimes1764470000000 implements MigrationInterface {
  name = 'NamespaceLifetimes1764470000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "namespaces" ADD COLUMN "started_at" INTEGER`);
    await runner.query(`ALTER TABLE "namespaces" ADD COLUMN "ended_at" INTEGER`);
    await runner.query(`ALTER TABLE "namespaces" ADD COLUMN "evidence" TEXT`);
    await runner.query(`UPDATE "namespaces" SET "started_at" = "first_seen_at"`);
    await runner.query(
      `UPDATE "namespaces"
          SET "ended_at" = (SELECT min(s."taken_at") FROM "snapshots" s WHERE s."taken_at" > "namespaces"."last_seen_at")
        WHERE "identity" <> 'host'
          AND "last_seen_at" < (SELECT max("taken_at") FROM "snapshots")
          AND "id" NOT IN (SELECT "namespace_id" FROM "setting_values" WHERE "valid_to" IS NULL)`,
    );
    await runner.query(
      `UPDATE "namespaces"
          SET "evidence" = (SELECT json_group_array('container:' || o."ref") FROM "owners" o
                             WHERE o."namespace_id" = "namespaces"."id" AND o."kind" = 'container'
                               AND o."last_seen_at" = "namespaces"."last_seen_at")
        WHERE "ended_at" IS NULL AND EXISTS (
          SELECT 1 FROM "owners" o WHERE o."namespace_id" = "namespaces"."id" AND o."kind" = 'container'
             AND o."last_seen_at" = "namespaces"."last_seen_at")`,
    );
    await runner.query(`CREATE INDEX "ix_namespaces_net_inode" ON "namespaces" ("net_inode")`);
    await runner.query(`CREATE INDEX "ix_namespaces_living" ON "namespaces" ("id") WHERE "ended_at" IS NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX "ix_namespaces_living"`);
    await runner.query(`DROP INDEX "ix_namespaces_net_inode"`);
    await runner.query(`ALTER TABLE "namespaces" DROP COLUMN "evidence"`);
    await runner.query(`ALTER TABLE "namespaces" DROP COLUMN "ended_at"`);
    await runner.query(`ALTER TABLE "namespaces" DROP COLUMN "started_at"`);
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SaturationUpdate } from '../domain/webhooks/evaluate-saturation.js';
import type { SaturationLevel } from '../domain/webhooks/next-saturation-level.js';
import { seriesId } from '../domain/webhooks/snapshot-facts.js';

/** The `saturation_levels` table, read and written inside the snapshot's transaction. */
@Injectable()
export class SaturationLevelsRepository {
  async load(em: EntityManager): Promise<Map<string, SaturationLevel>> {
    const rows: { identity: string; metric: string; level: SaturationLevel }[] = await em.query(
      `SELECT n."identity", s."metric", s."level" FROM "saturation_levels" s JOIN "namespaces" n ON n."id" = s."namespace_id"`,
    );
    return new Map(rows.map((r) => [seriesId(r.identity, r.metric), r.level]));
  }

  async save(
    em: EntityManager,
    updates: readonly SaturationUpdate[],
    snapshotId: number,
    takenAt: number,
  ): Promise<void> {
    for (const u of updates) {
      await em.query(
        `INSERT INTO "saturation_levels" ("namespace_id", "metric", "level", "ratio", "snapshot_id", "updated_at")
         SELECT "id", ?, ?, ?, ?, ? FROM "namespaces" WHERE "identity" = ?
         ON CONFLICT ("namespace_id", "metric") DO UPDATE SET "level" = excluded."level", "ratio" = excluded."ratio",
           "snapshot_id" = excluded."snapshot_id", "updated_at" = excluded."updated_at"`,
        [u.metric, u.level, u.ratio, snapshotId, takenAt, u.identity],
      );
    }
  }

  /** A vanished set's series end without an event. */
  async forget(em: EntityManager, identities: readonly string[]): Promise<void> {
    for (const identity of identities) {
      await em.query(
        `DELETE FROM "saturation_levels" WHERE "namespace_id" IN (SELECT "id" FROM "namespaces" WHERE "identity" = ?)`,
        [identity],
      );
    }
  }
}

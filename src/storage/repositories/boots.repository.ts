import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { positionalParams } from '../named-params.js';

export interface RebootRow {
  /** The first snapshot of the new boot. */
  taken_at: number;
  boot_id: string;
  previous_boot_id: string;
}

/** The first snapshot of each boot by `to`, its predecessor's boot id, and whether its boot's snapshots interleave with the next boot's. */
interface BootStartRow {
  boot_id: string;
  taken_at: number;
  previous_boot_id: string | null;
  interleaved: number;
}

/**
 * The definition: the snapshots taken by `to`, in id order, whose boot id differs from the previous one's (both
 * known). A window function over every snapshot up to `to`: one pass over the table (tens of ms at 30 days).
 */
const REBOOTS_BY_PASS = `SELECT "taken_at", "boot_id", "previous_boot_id" FROM (
    SELECT "taken_at", "boot_id", LAG("boot_id") OVER (ORDER BY "id") AS "previous_boot_id"
      FROM "snapshots" WHERE "taken_at" <= ?
  ) WHERE "taken_at" >= ? AND "boot_id" IS NOT NULL AND "previous_boot_id" IS NOT NULL
      AND "boot_id" <> "previous_boot_id"
  ORDER BY "taken_at"`;

/**
 * The same by seeks on ix_snapshots_boot ("boot_id", "id", "taken_at"): the distinct boot ids (a skip scan,
 * one seek each), the first snapshot of each by `to`, and the snapshot before that one. Exact when the
 * snapshots of each boot (by `to`) form one run in id order, up to snapshots of unknown boot: then only a
 * boot's first snapshot can follow another boot's. `interleaved` tells when a boot has a snapshot after the
 * next boot's first one, the only way that fails; the caller then uses REBOOTS_BY_PASS.
 */
export const BOOT_STARTS = `WITH RECURSIVE "boot"("id") AS (
    SELECT min("boot_id") FROM "snapshots"
    UNION ALL
    SELECT (SELECT min(s."boot_id") FROM "snapshots" s WHERE s."boot_id" > b."id") FROM "boot" b WHERE b."id" IS NOT NULL
  ),
  "start"("boot_id", "id") AS MATERIALIZED (
    SELECT b."id", (SELECT s."id" FROM "snapshots" s WHERE s."boot_id" = b."id" AND s."taken_at" <= :to
                     ORDER BY s."id" LIMIT 1)
      FROM "boot" b WHERE b."id" IS NOT NULL
  )
  SELECT f."boot_id", s."taken_at",
         (SELECT p."boot_id" FROM "snapshots" p WHERE p."id" < f."id" AND p."taken_at" <= :to
           ORDER BY p."id" DESC LIMIT 1) AS "previous_boot_id",
         EXISTS (SELECT 1 FROM "snapshots" x WHERE x."boot_id" = f."boot_id" AND x."taken_at" <= :to
                    AND x."id" > (SELECT min(g."id") FROM "start" g WHERE g."id" > f."id")) AS "interleaved"
    FROM "start" f JOIN "snapshots" s ON s."id" = f."id"`;

/** Reboots, as the boot ids of consecutive snapshots tell them. */
@Injectable()
export class BootsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The snapshots in [from, to] whose boot id differs from the previous snapshot's (both known): the first
   * snapshot after each reboot, in time order. By seeks per boot (BOOT_STARTS) where ix_snapshots_boot exists
   * (a file of an older agent served read-only may lack it); else, or when boots interleave, by one pass.
   */
  async reboots(from: number, to: number): Promise<RebootRow[]> {
    if (await this.hasBootIndex()) {
      const query = positionalParams(BOOT_STARTS, { to });
      const starts: BootStartRow[] = await this.dataSource.query(query.sql, query.params);
      if (!starts.some((s) => s.interleaved)) {
        return starts
          .filter(
            (s): s is BootStartRow & RebootRow =>
              s.taken_at >= from && s.previous_boot_id !== null && s.previous_boot_id !== s.boot_id,
          )
          .map((s) => ({ taken_at: s.taken_at, boot_id: s.boot_id, previous_boot_id: s.previous_boot_id }))
          .sort((a, b) => a.taken_at - b.taken_at);
      }
    }
    return this.dataSource.query(REBOOTS_BY_PASS, [to, from]);
  }

  private async hasBootIndex(): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM "sqlite_master" WHERE "type" = 'index' AND "name" = 'ix_snapshots_boot'`,
    );
    return rows.length > 0;
  }
}

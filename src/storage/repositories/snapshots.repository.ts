import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { positionalParams } from '../named-params.js';

export interface SnapshotRow {
  id: number;
  taken_at: number;
  duration_ms: number;
  keys_read: number;
  namespaces_read: number;
  change_count: number;
  errors: string;
  trigger: string;
  read_methods: string;
}

/** One change a snapshot recorded; `position` is its place in the snapshot's change list (the page cursor). */
export interface SnapshotChangeRow {
  position: number;
  namespace: string;
  key: string;
  scope: string;
  /** 1 when the snapshot opened a value interval (added or changed), 0 when it only closed one (removed). */
  opened: number;
  new_value: string | null;
  /** 1 when the snapshot closed the key's previous interval (changed or removed). */
  closed: number;
  old_value: string | null;
}

/*
 * A snapshot's changes in the order it recorded them, a page at a time. A change is keyed by one value row:
 * the interval the snapshot opened (added, changed), or the one it closed with nothing opened after it
 * (removed). Both arms walk their index in row-id order from the cursor — ix_setting_values_opened_by
 * ("opened_by", rowid) and the partial ix_setting_values_closed_by — and SQLite merges them (MERGE (UNION
 * ALL), no temporary B-tree), stopping after `limit` rows: a page costs its own rows plus, for the closed arm,
 * one ix_setting_values_from_key seek per row to skip the old half of a change. The old value of a change is
 * the key's previous interval (one seek, last starting before), taken only when this snapshot closed it.
 * Names come by primary key for the page's rows only.
 */
const CHANGE_PAGE = `WITH "page" AS (
    SELECT v."id" AS "position", v."namespace_id" AS "ns", v."key_id" AS "key", v."valid_from" AS "at", 1 AS "opened"
      FROM "setting_values" v
     WHERE v."opened_by" = :id AND v."id" > :cursor
    UNION ALL
    SELECT c."id", c."namespace_id", c."key_id", c."valid_to", 0
      FROM "setting_values" c
     WHERE c."closed_by" = :id AND c."id" > :cursor
       AND NOT EXISTS (SELECT 1 FROM "setting_values" o
                        WHERE o."namespace_id" = c."namespace_id" AND o."key_id" = c."key_id"
                          AND o."valid_from" = c."valid_to" AND o."opened_by" = :id)
     ORDER BY 1 LIMIT :limit)
  SELECT p."position", n."identity" AS "namespace", k."name" AS "key", k."scope",
         p."opened", CASE WHEN p."opened" THEN r."value" END AS "new_value",
         o."id" IS NOT NULL AS "closed", o."value" AS "old_value"
    FROM "page" p
    JOIN "setting_values" r ON r."id" = p."position"
    JOIN "keys" k ON k."id" = p."key"
    JOIN "namespaces" n ON n."id" = p."ns"
    LEFT JOIN "setting_values" o ON o."id" = CASE WHEN p."opened" THEN
         (SELECT b."id" FROM "setting_values" b
           WHERE b."namespace_id" = p."ns" AND b."key_id" = p."key" AND b."valid_from" < p."at"
           ORDER BY b."valid_from" DESC LIMIT 1) ELSE p."position" END
     AND o."closed_by" = :id
   ORDER BY p."position"`;

/** Snapshots and the changes they recorded, read from the database only. */
@Injectable()
export class SnapshotsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Newest first, ids below `before`, taken in [from, to]; `limit` rows (ix_snapshots_taken_at or the rowid). */
  list(from: number, to: number, before: number, limit: number): Promise<SnapshotRow[]> {
    return this.dataSource.query(
      `SELECT * FROM "snapshots" WHERE "taken_at" >= ? AND "taken_at" <= ? AND "id" < ? ORDER BY "id" DESC LIMIT ?`,
      [from, to, before, limit],
    );
  }

  /** The time and errors of every snapshot taken in [from, to] (ix_snapshots_taken_at). */
  errorsBetween(from: number, to: number): Promise<{ taken_at: number; errors: string }[]> {
    return this.dataSource.query(
      `SELECT "taken_at", "errors" FROM "snapshots" WHERE "taken_at" >= ? AND "taken_at" <= ?`,
      [from, to],
    );
  }

  async find(id: number): Promise<SnapshotRow | undefined> {
    const rows: SnapshotRow[] = await this.dataSource.query(`SELECT * FROM "snapshots" WHERE "id" = ?`, [id]);
    return rows[0];
  }

  /** At most `limit` changes of snapshot `id` after position `cursor` (0 for the first page), in order. */
  changePage(id: number, cursor: number, limit: number): Promise<SnapshotChangeRow[]> {
    const query = positionalParams(CHANGE_PAGE, { id, cursor, limit });
    return this.dataSource.query(query.sql, query.params);
  }
}

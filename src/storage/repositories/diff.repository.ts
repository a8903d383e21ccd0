import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { KeyPage } from '../../domain/paging/key-page.js';
import { positionalParams } from '../named-params.js';

export interface DiffRow {
  name: string;
  scope: string;
  had_before: number;
  before: string | null;
  had_after: number;
  after: string | null;
  changed_at: number;
  changed_after: number | null;
}

/** The interval of (namespace, key) in force at an instant: the last one starting at or before it, if still open. */
const lastStartingBy = (instant: string): string => `(SELECT v."id" FROM "setting_values" v
   WHERE v."namespace_id" = :ns AND v."key_id" = k."id" AND v."valid_from" <= ${instant}
   ORDER BY v."valid_from" DESC LIMIT 1)`;

/** From this many value changes in the window on, walking the catalog beats listing the window's keys. */
const WIDE_WINDOW_ROWS = 1000;

/** Keys with an interval boundary in (from, to]: the only ones that can differ (covering from/to indexes). */
const WINDOW_KEYS = `WITH "c"("key_id") AS MATERIALIZED (
    SELECT "key_id" FROM "setting_values" WHERE "namespace_id" = :ns AND "valid_from" > :from AND "valid_from" <= :to
    UNION
    SELECT "key_id" FROM "setting_values" WHERE "namespace_id" = :ns AND "valid_to" > :from AND "valid_to" <= :to)`;

/** Time-vs-time differences of one namespace set. */
@Injectable()
export class DiffRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A page of the keys whose value differs between `from` and `to` in one set, in key order. The catalog is
   * walked in name order from the cursor (ux_keys_name) and each key's values at both ends are one seek each on
   * ix_setting_values_history, until `limit` keys differ. A narrow window (fewer than WIDE_WINDOW_ROWS changes,
   * a bounded count) first lists the keys it touched and walks only those; a wide one, where most keys differ,
   * walks the catalog directly and stops after about its page instead of reading all the window's rows.
   * Intervals of one key never overlap, so the last boundary in the window belongs to the interval in force at
   * `to` (the last one starting by then): its end when that falls in the window, else its start.
   */
  async diffPage(namespaceId: number, from: number, to: number, page: KeyPage): Promise<DiffRow[]> {
    const counted: { n: number }[] = await this.dataSource.query(
      `SELECT count(*) AS "n" FROM (SELECT 1 FROM "setting_values"
        WHERE "namespace_id" = ? AND "valid_from" > ? AND "valid_from" <= ? LIMIT ?)`,
      [namespaceId, from, to, WIDE_WINDOW_ROWS],
    );
    const narrow = (counted[0]?.n ?? 0) < WIDE_WINDOW_ROWS;
    const sql = `${narrow ? WINDOW_KEYS : ''}
      SELECT k."name", k."scope",
             b."id" IS NOT NULL AND (b."valid_to" IS NULL OR b."valid_to" > :from) AS "had_before", b."value" AS "before",
             a."id" IS NOT NULL AND (a."valid_to" IS NULL OR a."valid_to" > :to) AS "had_after", a."value" AS "after",
             CASE WHEN a."valid_to" > :from AND a."valid_to" <= :to THEN a."valid_to"
                  WHEN a."valid_from" > :from THEN a."valid_from" ELSE :to END AS "changed_at",
             CASE WHEN a."valid_to" > :from AND a."valid_to" <= :to THEN a."ended_after"
                  WHEN a."valid_from" > :from THEN a."changed_after" END AS "changed_after"
        FROM "keys" k
        LEFT JOIN "setting_values" b ON b."id" = ${lastStartingBy(':from')}
        LEFT JOIN "setting_values" a ON a."id" = ${lastStartingBy(':to')}
       WHERE k."name" > :cursor ${narrow ? 'AND +k."id" IN (SELECT "key_id" FROM "c")' : ''}
         AND ((b."id" IS NOT NULL AND (b."valid_to" IS NULL OR b."valid_to" > :from))
              <> (a."id" IS NOT NULL AND (a."valid_to" IS NULL OR a."valid_to" > :to))
           OR (b."valid_to" IS NULL OR b."valid_to" > :from) AND b."value" IS NOT a."value")
       ORDER BY k."name" LIMIT :limit`;
    const query = positionalParams(sql, {
      ns: namespaceId,
      from,
      to,
      cursor: page.cursor,
      limit: page.limit + 1,
    });
    return this.dataSource.query(query.sql, query.params);
  }
}

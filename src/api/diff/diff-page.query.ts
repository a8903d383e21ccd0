import type { DataSource } from 'typeorm';
import type { KeyPage } from '../params/key-page.js';

export interface DiffRow {
  name: string;
  scope: string;
  had_before: number;
  before: string | null;
  had_after: number;
  after: string | null;
  changed_at: number;
}

/** The interval of (namespace, key) in force at an instant: the last one starting at or before it, if still open. */
const lastStartingBy = (instant: string): string => `(SELECT v."id" FROM "setting_values" v
   WHERE v."namespace_id" = ?ns AND v."key_id" = k."id" AND v."valid_from" <= ${instant}
   ORDER BY v."valid_from" DESC LIMIT 1)`;

/**
 * A page of the keys whose value differs between `from` and `to` in one set, in key order. Only keys with an
 * interval boundary in (from, to] can differ (the from/to indexes find them, once); the keys are walked in
 * name order from the cursor, and each candidate's values at both ends are one seek each on
 * ix_setting_values_history, until `limit` keys differ: a page costs about its own size, not the window's.
 * Intervals of one key never overlap, so the last boundary in the window belongs to the interval in force at
 * `to` (the last one starting by then): its end when that falls in the window, else its start.
 */
export async function diffPage(
  dataSource: DataSource,
  namespaceId: number,
  from: number,
  to: number,
  page: KeyPage,
): Promise<DiffRow[]> {
  const sql = `WITH "c"("key_id") AS MATERIALIZED (
      SELECT "key_id" FROM "setting_values" WHERE "namespace_id" = ?ns AND "valid_from" > ?from AND "valid_from" <= ?to
      UNION
      SELECT "key_id" FROM "setting_values" WHERE "namespace_id" = ?ns AND "valid_to" > ?from AND "valid_to" <= ?to)
    SELECT k."name", k."scope",
           b."id" IS NOT NULL AND (b."valid_to" IS NULL OR b."valid_to" > ?from) AS "had_before", b."value" AS "before",
           a."id" IS NOT NULL AND (a."valid_to" IS NULL OR a."valid_to" > ?to) AS "had_after", a."value" AS "after",
           CASE WHEN a."valid_to" > ?from AND a."valid_to" <= ?to THEN a."valid_to"
                WHEN a."valid_from" > ?from THEN a."valid_from" ELSE ?to END AS "changed_at"
      FROM "keys" k
      LEFT JOIN "setting_values" b ON b."id" = ${lastStartingBy('?from')}
      LEFT JOIN "setting_values" a ON a."id" = ${lastStartingBy('?to')}
     WHERE k."name" > ?cursor AND +k."id" IN (SELECT "key_id" FROM "c")
       AND ((b."id" IS NOT NULL AND (b."valid_to" IS NULL OR b."valid_to" > ?from))
            <> (a."id" IS NOT NULL AND (a."valid_to" IS NULL OR a."valid_to" > ?to))
         OR (b."valid_to" IS NULL OR b."valid_to" > ?from) AND b."value" IS NOT a."value")
     ORDER BY k."name" LIMIT ?limit`;
  const values: Record<string, unknown> = {
    ns: namespaceId,
    from,
    to,
    cursor: page.cursor,
    limit: page.limit + 1,
  };
  const params: unknown[] = [];
  const positional = sql.replace(/\?(ns|from|to|cursor|limit)\b/g, (_, name: string) => {
    params.push(values[name]);
    return '?';
  });
  return dataSource.query(positional, params);
}

import type { DataSource } from 'typeorm';

export interface SampleRow {
  namespace_id: number;
  identity: string;
  kind: string;
  metric: string;
  usage: number;
  limit_value: number;
  taken_at: number;
}

/**
 * The sample in force at `at` for every (metric, namespace set alive at `seenAt`): the last one at or before
 * `at`. One index seek per pair on ix_usage_samples_series (metric, namespace_id, taken_at) instead of a
 * GROUP BY over the whole history: sets × metrics seeks, independent of how long the history is.
 */
export async function samplesAt(
  dataSource: DataSource,
  metrics: readonly string[],
  at: number,
  seenAt: number,
  namespaceId?: number,
): Promise<SampleRow[]> {
  if (metrics.length === 0) return [];
  const values = metrics.map(() => '(?)').join(', ');
  const onlyOne = namespaceId === undefined ? '' : 'AND n."id" = ?';
  return dataSource.query(
    `WITH "m"("metric") AS (VALUES ${values}),
          "alive" AS (SELECT n."id", n."identity", n."kind" FROM "namespaces" n
                       WHERE n."first_seen_at" <= ? AND n."last_seen_at" >= ? ${onlyOne}),
          "picked" AS (SELECT (SELECT s."id" FROM "usage_samples" s
                                WHERE s."metric" = "m"."metric" AND s."namespace_id" = "alive"."id" AND s."taken_at" <= ?
                                ORDER BY s."taken_at" DESC, s."id" DESC LIMIT 1) AS "id"
                         FROM "alive" CROSS JOIN "m")
     SELECT s."namespace_id", a."identity", a."kind", s."metric", s."usage", s."limit_value", s."taken_at"
       FROM "picked" p JOIN "usage_samples" s ON s."id" = p."id" JOIN "alive" a ON a."id" = s."namespace_id"`,
    [...metrics, seenAt, seenAt, ...(namespaceId === undefined ? [] : [namespaceId]), at],
  );
}

/**
 * Every metric ever sampled. A skip-scan over the index's first column: one seek per distinct metric, so the
 * cost does not grow with the history (a plain DISTINCT would read the whole index).
 */
export async function sampledMetrics(dataSource: DataSource): Promise<string[]> {
  const metrics: string[] = [];
  for (let after = ''; metrics.length < 1000;) {
    const rows: { metric: string | null }[] = await dataSource.query(
      `SELECT min("metric") AS "metric" FROM "usage_samples" WHERE "metric" > ?`,
      [after],
    );
    const next = rows[0]?.metric;
    if (next === null || next === undefined) break;
    metrics.push(next);
    after = next;
  }
  return metrics;
}

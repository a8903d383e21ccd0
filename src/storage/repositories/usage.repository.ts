import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface SampleRow {
  namespace_id: number;
  identity: string;
  kind: string;
  metric: string;
  usage: number;
  limit_value: number;
  taken_at: number;
}

/** Usage samples: the values in force at an instant and series over time. */
@Injectable()
export class UsageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The sample in force at `at` for every (metric, namespace set alive at `seenAt`): the last one at or before
   * `at`. One index seek per pair on ix_usage_samples_series (metric, namespace_id, taken_at) instead of a
   * GROUP BY over the whole history: sets × metrics seeks, independent of how long the history is.
   */
  async samplesAt(
    metrics: readonly string[],
    at: number,
    seenAt: number,
    namespaceId?: number,
  ): Promise<SampleRow[]> {
    if (metrics.length === 0) return [];
    const values = metrics.map(() => '(?)').join(', ');
    const onlyOne = namespaceId === undefined ? '' : 'AND n."id" = ?';
    return this.dataSource.query(
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
  async sampledMetrics(): Promise<string[]> {
    const metrics: string[] = [];
    for (let after = ''; metrics.length < 1000;) {
      const rows: { metric: string | null }[] = await this.dataSource.query(
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

  /** The series of one metric in one set over (from, to], with the sample in force at `from`. */
  async series(
    metric: string,
    namespaceId: number,
    from: number,
    to: number,
  ): Promise<{ taken_at: number; usage: number; limit_value: number }[]> {
    return this.dataSource.query(
      `SELECT * FROM (SELECT "taken_at", "usage", "limit_value", "id" FROM "usage_samples"
                       WHERE "metric" = ? AND "namespace_id" = ? AND "taken_at" <= ?
                       ORDER BY "taken_at" DESC, "id" DESC LIMIT 1)
       UNION ALL
       SELECT * FROM (SELECT "taken_at", "usage", "limit_value", "id" FROM "usage_samples"
                       WHERE "metric" = ? AND "namespace_id" = ? AND "taken_at" > ? AND "taken_at" <= ?
                       ORDER BY "taken_at", "id")`,
      [metric, namespaceId, from, metric, namespaceId, from, to],
    );
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { planHourlyMax, type UsageSampleRow } from '../../domain/retention/plan-hourly-max.js';
import { WriteLock } from '../write-lock.js';
import { runWriteTransaction } from '../write-transaction.js';

/** Rows deleted (or usage rows read) per transaction: a batch holds the write lock for a few milliseconds. */
export const RETENTION_BATCH = 500;

export interface UsageSeries {
  metric: string;
  namespace_id: number;
}

export interface SnapshotReference {
  readonly table: string;
  readonly column: string;
  readonly indexed: boolean;
}

/**
 * The statements of the retention job (src/retention). Every method named `…Batch` is one transaction under
 * the WriteLock that selects what it deletes itself, so a pass can stop between any two of them.
 */
@Injectable()
export class RetentionRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
  ) {}

  private batch<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.lock.exclusive(() => runWriteTransaction(this.dataSource, work));
  }

  private async deleted(sql: string, parameters: readonly unknown[]): Promise<number> {
    const rows: unknown[] = await this.batch((em) => em.query(sql, [...parameters]));
    return rows.length;
  }

  /** Up to a batch of one series' samples taken before `before`; how many went. */
  expireUsageBatch(series: UsageSeries, before: number): Promise<number> {
    return this.deleted(
      `DELETE FROM "usage_samples" WHERE "id" IN (
         SELECT "id" FROM "usage_samples" WHERE "metric" = ? AND "namespace_id" = ? AND "taken_at" < ?
          ORDER BY "taken_at" LIMIT ${RETENTION_BATCH}) RETURNING "id"`,
      [series.metric, series.namespace_id, before],
    );
  }

  /** Reduces the next rows of one series from `start` to their hourly maximum; see planHourlyMax. */
  downsampleBatch(series: UsageSeries, start: number, before: number) {
    return this.batch(async (em) => {
      const rows: UsageSampleRow[] = await em.query(
        `SELECT "id", "taken_at" AS "takenAt", "usage" FROM "usage_samples"
          WHERE "metric" = ? AND "namespace_id" = ? AND "taken_at" >= ? AND "taken_at" < ?
          ORDER BY "taken_at", "id" LIMIT ${RETENTION_BATCH * 2}`,
        [series.metric, series.namespace_id, start, before],
      );
      const planned = planHourlyMax(rows, rows.length === RETENTION_BATCH * 2);
      await deleteIds(em, 'usage_samples', planned.deleteIds);
      return planned;
    });
  }

  /**
   * Every (metric, namespace) series, found by seeking the series index once per series rather than by
   * scanning the table. Read outside the lock: a series whose rows are being written is seen or not, and
   * either is fine (new rows are recent).
   */
  async usageSeries(): Promise<UsageSeries[]> {
    const series: UsageSeries[] = [];
    let last: UsageSeries | undefined;
    for (;;) {
      const rows: UsageSeries[] = last
        ? await this.dataSource.query(
            `SELECT "metric", "namespace_id" FROM "usage_samples" WHERE ("metric", "namespace_id") > (?, ?)
              ORDER BY "metric", "namespace_id" LIMIT 1`,
            [last.metric, last.namespace_id],
          )
        : await this.dataSource.query(
            `SELECT "metric", "namespace_id" FROM "usage_samples" ORDER BY "metric", "namespace_id" LIMIT 1`,
          );
      if (!rows[0]) return series;
      last = rows[0];
      series.push(last);
    }
  }

  /** Kernel events whose burst ended (last line) before `before`. Nothing references kernel_events. */
  expireKernelEventsBatch(before: number): Promise<number> {
    return this.deleted(
      `DELETE FROM "kernel_events" WHERE "id" IN (
         SELECT "id" FROM "kernel_events" WHERE "last_at" < ? ORDER BY "last_at" LIMIT ${RETENTION_BATCH})
       RETURNING "id"`,
      [before],
    );
  }

  async ids(table: 'namespaces' | 'webhooks'): Promise<number[]> {
    const rows: { id: number }[] = await this.dataSource.query(`SELECT "id" FROM "${table}" ORDER BY "id"`);
    return rows.map((r) => r.id);
  }

  /** Closed value intervals of one set that ended before `before`. */
  expireHistoryBatch(namespaceId: number, before: number): Promise<number> {
    return this.deleted(
      `DELETE FROM "setting_values" WHERE "id" IN (
         SELECT "id" FROM "setting_values" WHERE "namespace_id" = ? AND "valid_to" < ? LIMIT ${RETENTION_BATCH})
       RETURNING "id"`,
      [namespaceId, before],
    );
  }

  /**
   * Closed intervals of the boot configuration's history (`configured_values`) or of its drift from the runtime
   * (`config_drifts`) that ended before `before`; open ones and the one in force at the cutoff stay.
   */
  expireBootConfigBatch(table: 'configured_values' | 'config_drifts', before: number): Promise<number> {
    return this.deleted(
      `DELETE FROM "${table}" WHERE "id" IN (
         SELECT "id" FROM "${table}" WHERE "valid_to" < ? LIMIT ${RETENTION_BATCH})
       RETURNING "id"`,
      [before],
    );
  }

  /**
   * The next batch of one subscription's deliveries in `status` after id `after`: those finished before
   * `before` are deleted. `more` is false once a row created after `before` shows up (a delivery finishes
   * after it is created) or the log ends.
   */
  deliveriesBatch(webhookId: number, status: string, after: number, before: number) {
    return this.batch(async (em) => {
      const rows: { id: number; created_at: number; done_at: number }[] = await em.query(
        `SELECT "id", "created_at", coalesce("delivered_at", "last_attempt_at", "created_at") AS "done_at"
           FROM "webhook_deliveries" WHERE "webhook_id" = ? AND "status" = ? AND "id" > ?
          ORDER BY "id" LIMIT ${RETENTION_BATCH}`,
        [webhookId, status, after],
      );
      const old = rows.filter((r) => r.done_at < before).map((r) => r.id);
      await deleteIds(em, 'webhook_deliveries', old);
      return {
        deleted: old.length,
        last: rows[rows.length - 1]?.id ?? after,
        more: rows.length === RETENTION_BATCH && rows.every((r) => r.created_at < before),
      };
    });
  }

  /** Whether `table` holds more than `rows` rows (counts at most one more). */
  async holdsMoreThan(table: string, rows: number): Promise<boolean> {
    const counted: { n: number }[] = await this.dataSource.query(
      `SELECT count(*) AS "n" FROM (SELECT 1 FROM "${table}" LIMIT ${rows + 1})`,
    );
    return (counted[0]?.n ?? 0) > rows;
  }

  /** The last snapshot id taken before `before`, and the newest snapshot's id (0 when there is none). */
  async snapshotBounds(before: number): Promise<{ last: number; newest: number }> {
    const bounds: { last: number | null; newest: number | null }[] = await this.dataSource.query(
      `SELECT (SELECT max("id") FROM "snapshots" WHERE "taken_at" < ?) AS "last",
              (SELECT "id" FROM "snapshots" ORDER BY "taken_at" DESC, "id" DESC LIMIT 1) AS "newest"`,
      [before],
    );
    return { last: bounds[0]?.last ?? 0, newest: bounds[0]?.newest ?? 0 };
  }

  /**
   * Snapshots with ids in (after, …] up to a batch (at most `last`) taken before `before` that are not
   * `newest` and that no row of `references` points at. Returns where the batch ended and how many went.
   */
  snapshotsBatch(
    range: { after: number; last: number; before: number; newest: number },
    references: readonly SnapshotReference[],
  ) {
    const { after, last, before, newest } = range;
    const conditions = [
      's."taken_at" < ?',
      's."id" <> ?',
      ...references.map((r) => `NOT EXISTS (SELECT 1 FROM "${r.table}" c WHERE c."${r.column}" = s."id")`),
    ].join(' AND ');
    return this.batch(async (em) => {
      const ids: { id: number }[] = await em.query(
        `SELECT "id" FROM "snapshots" WHERE "id" > ? AND "id" <= ? ORDER BY "id" LIMIT ${RETENTION_BATCH}`,
        [after, last],
      );
      const end = ids[ids.length - 1]?.id ?? last;
      const deleted: unknown[] = await em.query(
        `DELETE FROM "snapshots" WHERE "id" IN (
           SELECT s."id" FROM "snapshots" s WHERE s."id" > ? AND s."id" <= ? AND ${conditions})
         RETURNING "id"`,
        [after, end, before, newest],
      );
      return { end: ids.length < RETENTION_BATCH ? last : end, deleted: deleted.length };
    });
  }

  /** Every (table, column) with a foreign key to `parent`, and whether an index starts with that column. */
  async referencesTo(parent: string): Promise<SnapshotReference[]> {
    const tables: { name: string }[] = await this.dataSource.query(
      `SELECT "name" FROM "sqlite_master" WHERE "type" = 'table' AND "name" NOT LIKE 'sqlite_%'`,
    );
    const references: SnapshotReference[] = [];
    for (const { name } of tables) {
      const keys: { table: string; from: string }[] = await this.dataSource.query(
        `SELECT "table", "from" FROM pragma_foreign_key_list(?)`,
        [name],
      );
      for (const key of keys.filter((k) => k.table === parent)) {
        const leading: { n: number }[] = await this.dataSource.query(
          `SELECT count(*) AS "n" FROM pragma_index_list(?) l, pragma_index_info(l."name") i
            WHERE i."seqno" = 0 AND i."name" = ?`,
          [name, key.from],
        );
        references.push({ table: name, column: key.from, indexed: (leading[0]?.n ?? 0) > 0 });
      }
    }
    return references;
  }
}

async function deleteIds(em: EntityManager, table: string, ids: readonly number[]): Promise<void> {
  for (let start = 0; start < ids.length; start += RETENTION_BATCH) {
    const slice = ids.slice(start, start + RETENTION_BATCH);
    await em.query(`DELETE FROM "${table}" WHERE "id" IN (${slice.map(() => '?').join(', ')})`, slice);
  }
}

import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock.js';
import { type RetentionCutoffs, retentionCutoffs } from '../domain/retention/retention-cutoffs.js';
import { planHourlyMax, type UsageSampleRow } from '../domain/retention/plan-hourly-max.js';
import { WriteLock } from '../storage/write-lock.js';
import { runWriteTransaction } from '../storage/write-transaction.js';
import { RETENTION_SETTINGS, type RetentionSettings } from './retention-settings.js';

/** Rows deleted (or usage rows read) per transaction: a batch holds the write lock for a few milliseconds. */
export const RETENTION_BATCH = 500;
/** A referencing table without an index on its column is scanned once per deleted snapshot: only if small. */
const SMALL_TABLE_ROWS = 1_000;

export interface RetentionReport {
  readonly startedAt: number;
  readonly cutoffs: RetentionCutoffs;
  /** Usage rows removed by the hourly-max reduction. */
  usageSamplesDownsampled: number;
  /** Usage rows removed past the hourly window. */
  usageSamplesExpired: number;
  kernelEvents: number;
  settingValues: number;
  webhookDeliveries: number;
  snapshots: number;
  /** Why snapshot rows were not pruned, when they were not (null: pruned, or no history window). */
  snapshotsSkipped: string | null;
  batches: number;
  /** False when shutdown interrupted the pass (the next one resumes: every batch is self-contained). */
  complete: boolean;
  durationMs: number;
}

interface Series {
  metric: string;
  namespace_id: number;
}

class Stopped extends Error {}

/**
 * Prunes and downsamples old rows in small batches. Each batch is one transaction under the WriteLock and
 * the job yields to the event loop between batches, so a snapshot (or any other writer) waits at most one
 * batch. Every batch selects what it deletes inside its own transaction, so a pass can stop anywhere.
 * Retention rules: README "Retention".
 */
@Injectable()
export class RetentionJob implements OnApplicationShutdown {
  private readonly logger = new Logger(RetentionJob.name);
  private running: Promise<RetentionReport> | null = null;
  private stopping = false;
  /**
   * Usage rows before this instant were reduced by a complete pass of this process. Samples are only ever
   * written at the time they are taken, so nothing new appears before it: later passes start there.
   */
  private downsampledThrough = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly lock: WriteLock,
    @Inject(RETENTION_SETTINGS) private readonly settings: RetentionSettings,
  ) {}

  /** One pass at `now` (default: the clock); a call during a pass joins it. */
  run(now: number = this.clock.now()): Promise<RetentionReport> {
    if (this.running) return this.running;
    const pass = this.pass(now).finally(() => {
      this.running = null;
    });
    this.running = pass;
    return pass;
  }

  /** Lets the batch in flight commit, then stops, before the database closes. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.running?.catch(() => undefined);
  }

  private async pass(now: number): Promise<RetentionReport> {
    const started = performance.now();
    const cutoffs = retentionCutoffs(now, this.settings.windows);
    const report: RetentionReport = {
      startedAt: now,
      cutoffs,
      usageSamplesDownsampled: 0,
      usageSamplesExpired: 0,
      kernelEvents: 0,
      settingValues: 0,
      webhookDeliveries: 0,
      snapshots: 0,
      snapshotsSkipped: null,
      batches: 0,
      complete: false,
      durationMs: 0,
    };
    try {
      await this.usageSamples(cutoffs, report);
      await this.kernelEvents(cutoffs, report);
      await this.history(cutoffs, report);
      await this.deliveries(cutoffs, report);
      await this.snapshots(cutoffs, report);
      report.complete = true;
    } catch (error) {
      if (!(error instanceof Stopped)) throw error;
    }
    report.durationMs = Math.round(performance.now() - started);
    const removed =
      report.usageSamplesDownsampled +
      report.usageSamplesExpired +
      report.kernelEvents +
      report.settingValues +
      report.webhookDeliveries +
      report.snapshots;
    const line =
      `retention: ${removed} rows removed (usage ${report.usageSamplesDownsampled} downsampled, ` +
      `${report.usageSamplesExpired} expired; kernel events ${report.kernelEvents}; value intervals ` +
      `${report.settingValues}; webhook deliveries ${report.webhookDeliveries}; snapshots ${report.snapshots}) ` +
      `in ${report.batches} batches, ${report.durationMs} ms${report.complete ? '' : ' (interrupted)'}`;
    if (removed > 0) this.logger.log(line);
    else this.logger.debug(line);
    return report;
  }

  /** One transaction under the write lock, then a turn of the event loop for everyone else. */
  private async batch<T>(report: RetentionReport, work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.stopping) throw new Stopped();
    const result = await this.lock.exclusive(() => runWriteTransaction(this.dataSource, work));
    report.batches += 1;
    await new Promise((resolve) => setImmediate(resolve));
    return result;
  }

  /** Repeats a deleting batch until it deletes less than a full batch; returns how many rows went. */
  private async drain(report: RetentionReport, sql: string, parameters: readonly unknown[]): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted: unknown[] = await this.batch(report, (em) => em.query(sql, [...parameters]));
      total += deleted.length;
      if (deleted.length < RETENTION_BATCH) return total;
    }
  }

  private async usageSamples(cutoffs: RetentionCutoffs, report: RetentionReport): Promise<void> {
    const from = Math.max(cutoffs.usageDeleteBefore ?? 0, this.downsampledThrough);
    for (const series of await this.usageSeries()) {
      if (cutoffs.usageDeleteBefore !== null) {
        report.usageSamplesExpired += await this.drain(
          report,
          `DELETE FROM "usage_samples" WHERE "id" IN (
             SELECT "id" FROM "usage_samples" WHERE "metric" = ? AND "namespace_id" = ? AND "taken_at" < ?
              ORDER BY "taken_at" LIMIT ${RETENTION_BATCH}) RETURNING "id"`,
          [series.metric, series.namespace_id, cutoffs.usageDeleteBefore],
        );
      }
      let resumeAt: number | null = from;
      while (resumeAt !== null && resumeAt < cutoffs.usageDownsampleBefore) {
        const start: number = resumeAt;
        const plan = await this.batch(report, async (em) => {
          const rows: UsageSampleRow[] = await em.query(
            `SELECT "id", "taken_at" AS "takenAt", "usage" FROM "usage_samples"
              WHERE "metric" = ? AND "namespace_id" = ? AND "taken_at" >= ? AND "taken_at" < ?
              ORDER BY "taken_at", "id" LIMIT ${RETENTION_BATCH * 2}`,
            [series.metric, series.namespace_id, start, cutoffs.usageDownsampleBefore],
          );
          const planned = planHourlyMax(rows, rows.length === RETENTION_BATCH * 2);
          await deleteIds(em, 'usage_samples', planned.deleteIds);
          return planned;
        });
        report.usageSamplesDownsampled += plan.deleteIds.length;
        resumeAt = plan.resumeAt;
      }
    }
    this.downsampledThrough = cutoffs.usageDownsampleBefore;
  }

  /**
   * Every (metric, namespace) series, found by seeking the series index once per series rather than by
   * scanning the table. Read outside the lock: a series whose rows are being written is seen or not, and
   * either is fine (new rows are recent).
   */
  private async usageSeries(): Promise<Series[]> {
    const series: Series[] = [];
    let last: Series | undefined;
    for (;;) {
      const rows: Series[] = last
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

  /** Kernel events whose burst ended (last line) before the cutoff. Nothing references kernel_events. */
  private async kernelEvents(cutoffs: RetentionCutoffs, report: RetentionReport): Promise<void> {
    report.kernelEvents += await this.drain(
      report,
      `DELETE FROM "kernel_events" WHERE "id" IN (
         SELECT "id" FROM "kernel_events" WHERE "last_at" < ? ORDER BY "last_at" LIMIT ${RETENTION_BATCH})
       RETURNING "id"`,
      [cutoffs.kernelEventsBefore],
    );
  }

  /**
   * Closed value intervals that ended before the history cutoff. An open interval (valid_to NULL) and the
   * interval in force at the cutoff (valid_to after it) are never touched, so "state at T" stays exact for
   * every T at or after the cutoff.
   */
  private async history(cutoffs: RetentionCutoffs, report: RetentionReport): Promise<void> {
    if (cutoffs.historyBefore === null) return;
    const namespaces: { id: number }[] = await this.dataSource.query(
      `SELECT "id" FROM "namespaces" ORDER BY "id"`,
    );
    for (const { id } of namespaces) {
      report.settingValues += await this.drain(
        report,
        `DELETE FROM "setting_values" WHERE "id" IN (
           SELECT "id" FROM "setting_values" WHERE "namespace_id" = ? AND "valid_to" < ? LIMIT ${RETENTION_BATCH})
         RETURNING "id"`,
        [id, cutoffs.historyBefore],
      );
    }
  }

  /**
   * Deliveries that finished (delivered or failed for good) before the cutoff; pending ones are never
   * touched. Walks each subscription's log index by id and stops at the first row created after the cutoff
   * (a delivery finishes after it is created).
   */
  private async deliveries(cutoffs: RetentionCutoffs, report: RetentionReport): Promise<void> {
    const webhooks: { id: number }[] = await this.dataSource.query(
      `SELECT "id" FROM "webhooks" ORDER BY "id"`,
    );
    for (const { id } of webhooks) {
      for (const status of ['delivered', 'failed']) {
        let cursor = 0;
        let more = true;
        while (more) {
          const after = cursor;
          const page = await this.batch(report, async (em) => {
            const rows: { id: number; created_at: number; done_at: number }[] = await em.query(
              `SELECT "id", "created_at", coalesce("delivered_at", "last_attempt_at", "created_at") AS "done_at"
                 FROM "webhook_deliveries" WHERE "webhook_id" = ? AND "status" = ? AND "id" > ?
                ORDER BY "id" LIMIT ${RETENTION_BATCH}`,
              [id, status, after],
            );
            const old = rows.filter((r) => r.done_at < cutoffs.deliveriesBefore).map((r) => r.id);
            await deleteIds(em, 'webhook_deliveries', old);
            return {
              deleted: old.length,
              last: rows[rows.length - 1]?.id ?? after,
              more:
                rows.length === RETENTION_BATCH && rows.every((r) => r.created_at < cutoffs.deliveriesBefore),
            };
          });
          report.webhookDeliveries += page.deleted;
          cursor = page.last;
          more = page.more;
        }
      }
    }
  }

  /**
   * Snapshot rows older than the history cutoff that nothing references any more (every foreign key to
   * snapshots is found in the schema, so a later table that references snapshots is respected). The newest
   * snapshot is always kept: the next snapshot compares against it. Deleting a parent row makes SQLite look
   * for children by each referencing column, a table scan where that column has no index, so the rows are
   * pruned only when every referencing column is indexed or its table is small; otherwise the reason is
   * reported and the rows stay.
   */
  private async snapshots(cutoffs: RetentionCutoffs, report: RetentionReport): Promise<void> {
    if (cutoffs.historyBefore === null) return;
    const references = await this.referencesTo('snapshots');
    const unindexed: string[] = [];
    for (const ref of references) {
      if (ref.indexed) continue;
      const rows: { n: number }[] = await this.dataSource.query(
        `SELECT count(*) AS "n" FROM (SELECT 1 FROM "${ref.table}" LIMIT ${SMALL_TABLE_ROWS + 1})`,
      );
      if ((rows[0]?.n ?? 0) > SMALL_TABLE_ROWS) unindexed.push(`${ref.table}.${ref.column}`);
    }
    if (unindexed.length > 0) {
      report.snapshotsSkipped = `no index on ${unindexed.join(', ')}: deleting a snapshot would scan that table`;
      return;
    }
    const bounds: { last: number | null; newest: number | null }[] = await this.dataSource.query(
      `SELECT (SELECT max("id") FROM "snapshots" WHERE "taken_at" < ?) AS "last",
              (SELECT "id" FROM "snapshots" ORDER BY "taken_at" DESC, "id" DESC LIMIT 1) AS "newest"`,
      [cutoffs.historyBefore],
    );
    const last = bounds[0]?.last ?? 0;
    const newest = bounds[0]?.newest ?? 0;
    const conditions = [
      's."taken_at" < ?',
      's."id" <> ?',
      ...references.map((r) => `NOT EXISTS (SELECT 1 FROM "${r.table}" c WHERE c."${r.column}" = s."id")`),
    ].join(' AND ');
    let cursor = 0;
    while (cursor < last) {
      const after = cursor;
      const page = await this.batch(report, async (em) => {
        const ids: { id: number }[] = await em.query(
          `SELECT "id" FROM "snapshots" WHERE "id" > ? AND "id" <= ? ORDER BY "id" LIMIT ${RETENTION_BATCH}`,
          [after, last],
        );
        const end = ids[ids.length - 1]?.id ?? last;
        const deleted: unknown[] = await em.query(
          `DELETE FROM "snapshots" WHERE "id" IN (
             SELECT s."id" FROM "snapshots" s WHERE s."id" > ? AND s."id" <= ? AND ${conditions})
           RETURNING "id"`,
          [after, end, cutoffs.historyBefore, newest],
        );
        return { end: ids.length < RETENTION_BATCH ? last : end, deleted: deleted.length };
      });
      report.snapshots += page.deleted;
      cursor = page.end;
    }
  }

  /** Every (table, column) with a foreign key to `parent`, and whether an index starts with that column. */
  private async referencesTo(parent: string): Promise<{ table: string; column: string; indexed: boolean }[]> {
    const tables: { name: string }[] = await this.dataSource.query(
      `SELECT "name" FROM "sqlite_master" WHERE "type" = 'table' AND "name" NOT LIKE 'sqlite_%'`,
    );
    const references: { table: string; column: string; indexed: boolean }[] = [];
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

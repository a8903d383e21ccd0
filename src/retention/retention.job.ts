import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock.js';
import { type RetentionCutoffs, retentionCutoffs } from '../domain/retention/retention-cutoffs.js';
import { RETENTION_BATCH, RetentionRepository } from '../storage/repositories/retention.repository.js';
import { RETENTION_SETTINGS, type RetentionSettings } from './retention-settings.js';

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
  /** Closed intervals of the boot configuration and of its drift (configured_values, config_drifts). */
  bootConfigIntervals: number;
  webhookDeliveries: number;
  snapshots: number;
  /** Why snapshot rows were not pruned, when they were not (null: pruned, or no history window). */
  snapshotsSkipped: string | null;
  batches: number;
  /** False when shutdown interrupted the pass (the next one resumes: every batch is self-contained). */
  complete: boolean;
  durationMs: number;
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
    private readonly repository: RetentionRepository,
    @Inject(CLOCK) private readonly clock: Clock,
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
      bootConfigIntervals: 0,
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
      report.bootConfigIntervals +
      report.webhookDeliveries +
      report.snapshots;
    const line =
      `retention: ${removed} rows removed (usage ${report.usageSamplesDownsampled} downsampled, ` +
      `${report.usageSamplesExpired} expired; kernel events ${report.kernelEvents}; value intervals ` +
      `${report.settingValues}; boot configuration intervals ${report.bootConfigIntervals}; webhook deliveries ${report.webhookDeliveries}; snapshots ${report.snapshots}) ` +
      `in ${report.batches} batches, ${report.durationMs} ms${report.complete ? '' : ' (interrupted)'}`;
    if (removed > 0) this.logger.log(line);
    else this.logger.debug(line);
    return report;
  }

  /** One batch (a transaction under the write lock), then a turn of the event loop for everyone else. */
  private async batch<T>(report: RetentionReport, work: () => Promise<T>): Promise<T> {
    if (this.stopping) throw new Stopped();
    const result = await work();
    report.batches += 1;
    await new Promise((resolve) => setImmediate(resolve));
    return result;
  }

  /** Repeats a deleting batch until it deletes less than a full batch; returns how many rows went. */
  private async drain(report: RetentionReport, deleteBatch: () => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.batch(report, deleteBatch);
      total += deleted;
      if (deleted < RETENTION_BATCH) return total;
    }
  }

  private async usageSamples(cutoffs: RetentionCutoffs, report: RetentionReport): Promise<void> {
    const from = Math.max(cutoffs.usageDeleteBefore ?? 0, this.downsampledThrough);
    for (const series of await this.repository.usageSeries()) {
      const expireBefore = cutoffs.usageDeleteBefore;
      if (expireBefore !== null) {
        report.usageSamplesExpired += await this.drain(report, () =>
          this.repository.expireUsageBatch(series, expireBefore),
        );
      }
      let resumeAt: number | null = from;
      while (resumeAt !== null && resumeAt < cutoffs.usageDownsampleBefore) {
        const start: number = resumeAt;
        const plan = await this.batch(report, () =>
          this.repository.downsampleBatch(series, start, cutoffs.usageDownsampleBefore),
        );
        report.usageSamplesDownsampled += plan.deleteIds.length;
        resumeAt = plan.resumeAt;
      }
    }
    this.downsampledThrough = cutoffs.usageDownsampleBefore;
  }

  private async kernelEvents(cutoffs: RetentionCutoffs, report: RetentionReport): Promise<void> {
    report.kernelEvents += await this.drain(report, () =>
      this.repository.expireKernelEventsBatch(cutoffs.kernelEventsBefore),
    );
  }

  /**
   * Closed value intervals (settings, boot configuration, drift) that ended before the history cutoff. An open interval (valid_to NULL) and the
   * interval in force at the cutoff (valid_to after it) are never touched, so "state at T" stays exact for
   * every T at or after the cutoff.
   */
  private async history(cutoffs: RetentionCutoffs, report: RetentionReport): Promise<void> {
    const before = cutoffs.historyBefore;
    if (before === null) return;
    for (const id of await this.repository.ids('namespaces')) {
      report.settingValues += await this.drain(report, () => this.repository.expireHistoryBatch(id, before));
    }
    for (const table of ['configured_values', 'config_drifts'] as const) {
      report.bootConfigIntervals += await this.drain(report, () =>
        this.repository.expireBootConfigBatch(table, before),
      );
    }
  }

  /**
   * Deliveries that finished (delivered or failed for good) before the cutoff; pending ones are never
   * touched. Walks each subscription's log index by id and stops at the first row created after the cutoff
   * (a delivery finishes after it is created).
   */
  private async deliveries(cutoffs: RetentionCutoffs, report: RetentionReport): Promise<void> {
    for (const id of await this.repository.ids('webhooks')) {
      for (const status of ['delivered', 'failed']) {
        let cursor = 0;
        let more = true;
        while (more) {
          const after = cursor;
          const page = await this.batch(report, () =>
            this.repository.deliveriesBatch(id, status, after, cutoffs.deliveriesBefore),
          );
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
    const before = cutoffs.historyBefore;
    if (before === null) return;
    const references = await this.repository.referencesTo('snapshots');
    const unindexed: string[] = [];
    for (const ref of references) {
      if (ref.indexed) continue;
      if (await this.repository.holdsMoreThan(ref.table, SMALL_TABLE_ROWS))
        unindexed.push(`${ref.table}.${ref.column}`);
    }
    if (unindexed.length > 0) {
      report.snapshotsSkipped = `no index on ${unindexed.join(', ')}: deleting a snapshot would scan that table`;
      return;
    }
    const { last, newest } = await this.repository.snapshotBounds(before);
    let cursor = 0;
    while (cursor < last) {
      const after = cursor;
      const page = await this.batch(report, () =>
        this.repository.snapshotsBatch({ after, last, before, newest }, references),
      );
      report.snapshots += page.deleted;
      cursor = page.end;
    }
  }
}

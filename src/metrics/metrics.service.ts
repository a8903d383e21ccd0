import { Injectable, Logger, Optional } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { TargetCollection } from '../collectors/collector-runner.js';
import { StorageStatus } from '../storage/storage-status.js';
import { LedgerMetrics, type LastSnapshotFacts, METRIC_PREFIX } from './ledger-metrics.js';
import { ScrapeRenderer } from './scrape-renderer.js';
import {
  countErrorsBySource,
  countSetsByKind,
  type DeliveryAttemptStatus,
  deliveryOutcome,
  type WebhookDeliveryOutcome,
} from './snapshot-counts.js';
import { type UsageSeries, usageSeriesOf } from './usage-series.js';

/** The parts of a SnapshotSummary the metrics read (SnapshotSummary satisfies it). */
export interface CommittedSnapshot extends LastSnapshotFacts {
  readonly changeCount: number;
  readonly errors: readonly unknown[];
}

/** The state postmortem mode restores from the database, since it takes no snapshot. */
export interface RestoredState {
  readonly lastSnapshot: LastSnapshotFacts | null;
  readonly setKinds: readonly string[];
  readonly usage: readonly UsageSeries[];
}

/**
 * The agent's Prometheus metrics, on registries of its own (never prom-client's global one). Updated after
 * each snapshot commits; a scrape reads only this in-memory state, never the database.
 */
@Injectable()
export class MetricsService {
  private readonly logger = new Logger(MetricsService.name);
  private readonly ledger = new LedgerMetrics(new Registry());
  private readonly processRegistry = new Registry();
  private readonly renderer: ScrapeRenderer;
  private recorded = 0;

  constructor(@Optional() private readonly storage?: StorageStatus) {
    collectDefaultMetrics({ register: this.processRegistry, prefix: METRIC_PREFIX });
    // This gauge waits one event-loop turn per scrape (latency under load); the p50/p90/p99 lag gauges stay.
    this.processRegistry.removeSingleMetric(`${METRIC_PREFIX}nodejs_eventloop_lag_seconds`);
    this.renderer = new ScrapeRenderer(this.ledger.registry, this.processRegistry, () => this.ledger.version);
  }

  readonly contentType = Registry.PROMETHEUS_CONTENT_TYPE;

  /** Snapshots recorded since start. */
  get snapshotsRecorded(): number {
    return this.recorded;
  }

  /**
   * Called once a snapshot has committed, with the collections it was built from. Never throws: a metrics
   * problem must not fail a snapshot that is already stored.
   */
  recordSnapshot(summary: CommittedSnapshot, collections: readonly TargetCollection[]): void {
    try {
      this.ledger.recordSnapshot(summary, summary.changeCount, countErrorsBySource(summary.errors));
      this.ledger.setNamespaceSets(countSetsByKind(collections.map((c) => c.target.set.kind)));
      this.ledger.replaceUsage(usageSeriesOf(collections));
      this.recorded += 1;
    } catch (error) {
      this.logger.warn(`metrics not updated: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Called for each scheduled tick skipped because a snapshot was still running. */
  recordSkippedTick(): void {
    this.ledger.incSkippedTicks();
  }

  /** Called by the webhook dispatcher after each delivery attempt with the delivery's new status. */
  recordWebhookDelivery(outcome: DeliveryAttemptStatus | WebhookDeliveryOutcome): void {
    this.ledger.incWebhookDelivery(deliveryOutcome(outcome));
  }

  /** Postmortem mode: the gauges from the database's latest state (counters stay at 0: nothing happened). */
  restore(state: RestoredState): void {
    if (state.lastSnapshot) this.ledger.setLastSnapshot(state.lastSnapshot);
    this.ledger.setNamespaceSets(countSetsByKind(state.setKinds));
    this.ledger.replaceUsage(state.usage);
  }

  /** The Prometheus text exposition of every series. */
  render(): Promise<string> {
    this.refreshStorage();
    return this.renderer.render();
  }

  /** The same text as UTF-8 bytes; synchronous while nothing changed since the last scrape (see ScrapeRenderer). */
  body(): Buffer | Promise<Buffer> {
    this.refreshStorage();
    return this.renderer.body();
  }

  /** Storage's state is read at each scrape (two stat calls): it changes between snapshots too. */
  private refreshStorage(): void {
    if (this.storage) this.ledger.setStorage(this.storage.view());
  }
}

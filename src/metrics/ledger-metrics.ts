import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { WEBHOOK_OUTCOMES, type WebhookDeliveryOutcome } from './snapshot-counts.js';
import type { UsageSeries } from './usage-series.js';

/** Every series the agent exports starts with this. */
export const METRIC_PREFIX = 'kernel_ledger_';

/** pod, k8s_namespace and container are set only on the series of a Kubernetes pod's set. */
const USAGE_LABELS = ['metric', 'namespace', 'owner', 'pod', 'k8s_namespace', 'container'] as const;
type UsageLabel = (typeof USAGE_LABELS)[number];

/** What a committed snapshot (or, in postmortem mode, the database) says about the last pass. */
export interface LastSnapshotFacts {
  readonly takenAt: number;
  readonly durationMs: number;
  readonly keysRead: number;
}

/** Whether writes reach the database file (storage's own account, see StorageStatus). */
export interface StorageFacts {
  readonly problem: string | null;
  readonly consecutiveFailures: number;
  readonly lastCommitAt: string | null;
}

/**
 * The agent's own series on a dedicated registry, with a version that moves on every update so a rendered
 * scrape can be reused until the next one.
 */
export class LedgerMetrics {
  private updates = 0;
  private readonly duration: Histogram;
  private readonly lastDuration: Gauge;
  private readonly lastTakenAt: Gauge;
  private readonly keysRead: Gauge;
  private readonly changes: Counter;
  private readonly errors: Counter<'collector'>;
  private readonly namespaceSets: Gauge<'kind'>;
  private readonly skippedTicks: Counter;
  private readonly webhookDeliveries: Counter<'outcome'>;
  private readonly usage: Gauge<UsageLabel>;
  private readonly limit: Gauge<UsageLabel>;
  private readonly ratio: Gauge<UsageLabel>;
  private readonly storageWritable: Gauge;
  private readonly storageFailures: Gauge;
  private readonly lastCommit: Gauge;
  private storageKey = '';
  /** The usage series the gauges hold, by seriesId: what the next replaceUsage compares with. */
  private shownUsage = new Map<string, ShownUsage>();

  constructor(readonly registry: Registry) {
    const registers = [registry];
    const name = (suffix: string): string => `${METRIC_PREFIX}${suffix}`;
    this.duration = new Histogram({
      name: name('snapshot_duration_seconds'),
      help: 'Duration of committed snapshots (discover, read, classify, diff, persist).',
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.lastDuration = new Gauge({
      name: name('last_snapshot_duration_seconds'),
      help: 'Duration of the last committed snapshot.',
      registers,
    });
    this.lastTakenAt = new Gauge({
      name: name('last_snapshot_timestamp_seconds'),
      help: 'Unix time at which the last committed snapshot started.',
      registers,
    });
    this.keysRead = new Gauge({
      name: name('keys_read'),
      help: 'Sysctl keys read by the last committed snapshot, over all namespace sets.',
      registers,
    });
    this.changes = new Counter({
      name: name('changes_total'),
      help: 'Setting changes recorded (value intervals opened or closed) since the agent started.',
      registers,
    });
    this.errors = new Counter({
      name: name('collector_errors_total'),
      help: 'Errors recorded on snapshots, by collector (discovery:<source> for namespace discovery).',
      labelNames: ['collector'],
      registers,
    });
    this.namespaceSets = new Gauge({
      name: name('namespace_sets'),
      help: 'Namespace sets seen by the last committed snapshot, by kind.',
      labelNames: ['kind'],
      registers,
    });
    this.skippedTicks = new Counter({
      name: name('skipped_ticks_total'),
      help: 'Scheduled snapshots skipped because the previous one was still running.',
      registers,
    });
    this.webhookDeliveries = new Counter({
      name: name('webhook_deliveries_total'),
      help: 'Webhook delivery attempts by outcome (delivered, retry, failed after the last attempt).',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of WEBHOOK_OUTCOMES) this.webhookDeliveries.inc({ outcome }, 0);
    const usageGauge = (suffix: string, help: string): Gauge<UsageLabel> =>
      new Gauge({ name: name(suffix), help, labelNames: USAGE_LABELS, registers });
    this.usage = usageGauge(
      'usage',
      'Current usage of a kernel limit, per namespace set and owner (metrics ending in .total are cumulative counts).',
    );
    this.limit = usageGauge('limit', 'Current value of the kernel limit the usage runs into.');
    this.ratio = usageGauge('usage_ratio', 'usage / limit (levels only; counters have no ratio).');
    this.storageWritable = new Gauge({
      name: name('storage_writable'),
      help: '1 while writes reach the database file; 0 while they fail, the file is gone or another process holds its lock (reason in /health).',
      registers,
    });
    this.storageFailures = new Gauge({
      name: name('storage_consecutive_write_failures'),
      help: 'Write transactions failed since the last commit (0 while writes succeed).',
      registers,
    });
    this.lastCommit = new Gauge({
      name: name('storage_last_commit_timestamp_seconds'),
      help: 'Unix time of the last write transaction that reached the database file (0 before the first).',
      registers,
    });
    this.storageWritable.set(1);
  }

  /** Moves on every update; equal versions render identical text. */
  get version(): number {
    return this.updates;
  }

  recordSnapshot(facts: LastSnapshotFacts, changeCount: number, errors: ReadonlyMap<string, number>): void {
    this.duration.observe(facts.durationMs / 1000);
    this.setLastSnapshot(facts);
    this.changes.inc(changeCount);
    for (const [collector, count] of errors) this.errors.inc({ collector }, count);
    this.updates += 1;
  }

  /** Gauges only: what postmortem mode can restore from the database. */
  setLastSnapshot(facts: LastSnapshotFacts): void {
    this.lastDuration.set(facts.durationMs / 1000);
    this.lastTakenAt.set(facts.takenAt / 1000);
    this.keysRead.set(facts.keysRead);
    this.updates += 1;
  }

  setNamespaceSets(byKind: ReadonlyMap<string, number>): void {
    this.namespaceSets.reset();
    for (const [kind, count] of byKind) this.namespaceSets.set({ kind }, count);
    this.updates += 1;
  }

  /**
   * Replaces every usage series: sets and metrics absent from `series` disappear from the output. Only series
   * that are new or moved are set again: each gauge.set hashes its labels, and a 110-pod node has ~3,000
   * series, nearly all the same from one snapshot to the next.
   */
  replaceUsage(series: readonly UsageSeries[]): void {
    try {
      this.shownUsage = this.updateUsage(series);
    } catch (error) {
      // Half updated: start again from empty gauges, so the next call sets every series.
      this.usage.reset();
      this.limit.reset();
      this.ratio.reset();
      this.shownUsage = new Map();
      throw error;
    } finally {
      this.updates += 1;
    }
  }

  private updateUsage(series: readonly UsageSeries[]): Map<string, ShownUsage> {
    const shown = new Map<string, ShownUsage>();
    for (const s of series) {
      const id = seriesId(s);
      // A series given twice: the later one wins, compared with what the earlier one set.
      const before = shown.get(id) ?? this.shownUsage.get(id);
      if (before && before.usage === s.usage && before.limit === s.limit && before.ratio === s.ratio) {
        shown.set(id, before);
        continue;
      }
      const labels = before?.labels ?? { metric: s.metric, namespace: s.namespace, owner: s.owner, ...s.pod };
      this.usage.set(labels, s.usage);
      this.limit.set(labels, s.limit);
      if (s.ratio !== null) this.ratio.set(labels, s.ratio);
      else if (before && before.ratio !== null) this.ratio.remove(labels);
      shown.set(id, { labels, usage: s.usage, limit: s.limit, ratio: s.ratio });
    }
    for (const [id, before] of this.shownUsage) {
      if (shown.has(id)) continue;
      this.usage.remove(before.labels);
      this.limit.remove(before.labels);
      if (before.ratio !== null) this.ratio.remove(before.labels);
    }
    return shown;
  }

  /** Moves the version only when the storage facts changed, so an unchanged scrape is still reused. */
  setStorage(facts: StorageFacts): void {
    const key = `${facts.problem}|${facts.consecutiveFailures}|${facts.lastCommitAt}`;
    if (key === this.storageKey) return;
    this.storageKey = key;
    this.storageWritable.set(facts.problem === null ? 1 : 0);
    this.storageFailures.set(facts.consecutiveFailures);
    this.lastCommit.set(facts.lastCommitAt === null ? 0 : Date.parse(facts.lastCommitAt) / 1000);
    this.updates += 1;
  }

  incSkippedTicks(): void {
    this.skippedTicks.inc();
    this.updates += 1;
  }

  incWebhookDelivery(outcome: WebhookDeliveryOutcome): void {
    this.webhookDeliveries.inc({ outcome });
    this.updates += 1;
  }
}

interface ShownUsage {
  readonly labels: Partial<Record<UsageLabel, string>>;
  readonly usage: number;
  readonly limit: number;
  readonly ratio: number | null;
}

/** Every label of a usage series, one string (NUL cannot occur in any of them). */
function seriesId(s: UsageSeries): string {
  const pod = s.pod ? `${s.pod.pod}\0${s.pod.k8s_namespace}\0${s.pod.container}` : '';
  return `${s.metric}\0${s.namespace}\0${s.owner}\0${pod}`;
}

import type { MetricKind, MetricPlace } from '../../domain/limits/limit-metrics.js';
import type { HolderOwner } from '../../domain/limits/rank-limit-pairs.js';

export interface HolderView {
  namespace: string;
  namespaceKind: string;
  owners: readonly HolderOwner[];
  usage: number;
  limit: number;
  /** usage / limit; null for counters. */
  ratio: number | null;
  at: string;
}

export interface LimitPairView extends HolderView {
  metric: string;
  /** `level` (a count now) or `counter` (cumulative, metric name ends in `.total`: see /usage for its rate). */
  kind: MetricKind;
  limitKey: string | null;
  /** `set`: measured per namespace set; `host`: once for the whole host. */
  place: MetricPlace | null;
  /** Up to 5 sets holding the most of this metric at `at`. */
  top: HolderView[];
}

export interface LimitsResult {
  at: string;
  /** The snapshot the answer reflects (the last one at or before `at`), or null when none was taken yet. */
  snapshotAt: string | null;
  namespace: string | null;
  count: number;
  items: LimitPairView[];
}

export interface UsagePointView {
  at: string;
  usage: number;
  limit: number;
  ratio: number | null;
  ratePerSecond: number | null;
}

export interface UsageResult {
  metric: string;
  kind: MetricKind;
  limitKey: string | null;
  namespace: string;
  from: string;
  to: string;
  /** How the points read: stored samples are change-only, so each point holds until the next one. */
  series: 'step';
  /** Null when every stored step is returned; else how the range was folded into at most `points` buckets. */
  downsampled: { buckets: number; bucketMs: number; rule: string } | null;
  count: number;
  points: UsagePointView[];
}

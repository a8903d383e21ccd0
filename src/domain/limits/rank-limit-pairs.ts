import { isCounterMetric, limitMetric, type MetricKind, type MetricPlace } from './limit-metrics.js';

/** A container or named netns living in a namespace set. */
export interface HolderOwner {
  readonly kind: string;
  readonly name: string;
}

/** The sample in force at one instant for one (namespace set, metric). */
export interface SampleAt {
  readonly namespace: string;
  readonly namespaceKind: string;
  readonly owners: readonly HolderOwner[];
  readonly metric: string;
  readonly usage: number;
  readonly limit: number;
  readonly takenAt: number;
}

export interface Holder {
  readonly namespace: string;
  readonly namespaceKind: string;
  readonly owners: readonly HolderOwner[];
  readonly usage: number;
  readonly limit: number;
  /** usage / limit for levels; null for counters (not a saturation). */
  readonly ratio: number | null;
  readonly at: number;
}

export interface RankedLimitPair extends Holder {
  readonly metric: string;
  readonly kind: MetricKind;
  readonly limitKey: string | null;
  readonly place: MetricPlace | null;
  /** The sets holding the most: highest ratio for levels, highest count for counters. */
  readonly top: readonly Holder[];
}

function holderOf(sample: SampleAt): Holder {
  const counter = isCounterMetric(sample.metric);
  return {
    namespace: sample.namespace,
    namespaceKind: sample.namespaceKind,
    owners: sample.owners,
    usage: sample.usage,
    limit: sample.limit,
    ratio: counter || sample.limit <= 0 ? null : sample.usage / sample.limit,
    at: sample.takenAt,
  };
}

function byHolding(a: Holder, b: Holder): number {
  return (b.ratio ?? -1) - (a.ratio ?? -1) || b.usage - a.usage || a.namespace.localeCompare(b.namespace);
}

/**
 * One entry per metric: the pair of `focus` (a namespace identity) when given, else of the set closest to its
 * limit, with the `topN` sets holding the most. Sorted by ratio, highest first; counters (ratio null) last.
 * Deterministic for equal input.
 */
export function rankLimitPairs(samples: readonly SampleAt[], focus?: string, topN = 5): RankedLimitPair[] {
  const byMetric = new Map<string, Holder[]>();
  for (const sample of samples) {
    const list = byMetric.get(sample.metric) ?? [];
    list.push(holderOf(sample));
    byMetric.set(sample.metric, list);
  }
  const pairs: RankedLimitPair[] = [];
  for (const [metric, holders] of byMetric) {
    holders.sort(byHolding);
    const headline = focus === undefined ? holders[0] : holders.find((h) => h.namespace === focus);
    if (!headline) continue;
    const known = limitMetric(metric);
    pairs.push({
      metric,
      kind: isCounterMetric(metric) ? 'counter' : 'level',
      limitKey: known?.limitKey ?? null,
      place: known?.place ?? null,
      ...headline,
      top: holders.slice(0, topN),
    });
  }
  return pairs.sort(
    (a, b) => (b.ratio ?? -1) - (a.ratio ?? -1) || b.usage - a.usage || a.metric.localeCompare(b.metric),
  );
}

import type { TargetCollection } from '../collectors/collector-runner.js';
import { isCounterMetric, isNetnsMetric } from '../domain/limits/limit-metrics.js';
import { setUsageSamples } from '../domain/limits/pair-usage-samples.js';
import type { Owner } from '../domain/namespaces/namespace-types.js';
import { readingValues } from '../domain/sysctl/reading-values.js';

/** One usage/limit pair of one namespace set, as the `kernel_ledger_usage|limit|usage_ratio` gauges show it. */
export interface UsageSeries {
  readonly metric: string;
  /** The namespace set identity: `host` or `net:<inode>/ipc:<inode>/uts:<inode>`. */
  readonly namespace: string;
  readonly owner: string;
  readonly usage: number;
  readonly limit: number;
  /** usage / limit; null for cumulative counters (`*.total`) and when the limit is 0. */
  readonly ratio: number | null;
  /** The labels of a Kubernetes pod's set (absent for every other set). */
  readonly pod?: PodLabels;
}

/** `pod`, `k8s_namespace` and `container` (the pod's container names, sorted and comma-joined). */
export interface PodLabels {
  readonly pod: string;
  readonly k8s_namespace: string;
  readonly container: string;
}

/** The pod labels of a set: its first pod owner's (a set holds one pod), or undefined without one. */
export function podLabels(
  pods: readonly { namespace: string; name: string; containers: readonly { name: string }[] }[],
): PodLabels | undefined {
  const pod = pods[0];
  if (!pod) return undefined;
  const container = pod.containers
    .map((c) => c.name)
    .sort()
    .join(',');
  return { pod: pod.name, k8s_namespace: pod.namespace, container };
}

/** What an owner is called in the `owner` label: a container or named netns by name, a process as `cmd[pid]`. */
export interface OwnerName {
  readonly kind: string;
  readonly name: string;
}

const MAX_OWNER_NAMES = 3;

export function ownerName(owner: Owner): OwnerName {
  switch (owner.kind) {
    case 'container':
    case 'netns':
      return { kind: owner.kind, name: owner.name };
    case 'pod':
      return { kind: owner.kind, name: `${owner.namespace}/${owner.name}` };
    case 'process':
      return { kind: owner.kind, name: `${owner.command}[${owner.pid}]` };
  }
}

/**
 * The `owner` label of a namespace set: `host` for the host, else its owners' names, sorted and comma-joined
 * (pods as `namespace/name` first, then containers, named netns, processes), at most three then `+N`. `unknown` without owners.
 */
export function ownerLabel(identity: string, owners: readonly OwnerName[]): string {
  if (identity === 'host') return 'host';
  const rank = (kind: string): number => ['pod', 'container', 'netns', 'process'].indexOf(kind) >>> 0;
  const names = [
    ...new Set(
      [...owners]
        .sort((a, b) => rank(a.kind) - rank(b.kind) || a.name.localeCompare(b.name))
        .map((o) => o.name),
    ),
  ];
  if (names.length === 0) return 'unknown';
  const shown = names.slice(0, MAX_OWNER_NAMES).join(',');
  return names.length > MAX_OWNER_NAMES ? `${shown},+${names.length - MAX_OWNER_NAMES}` : shown;
}

/** usage / limit for levels with a positive limit; null for counters and an unbounded (0) limit. */
export function usageRatio(metric: string, usage: number, limit: number): number | null {
  if (isCounterMetric(metric) || !(limit > 0)) return null;
  const ratio = usage / limit;
  return Number.isFinite(ratio) ? ratio : null;
}

/** The gauges' series for one snapshot's collections: one per set and metric, finite values only. */
export function usageSeriesOf(collections: readonly TargetCollection[]): UsageSeries[] {
  const host = collections.find((c) => c.target.set.identity === 'host');
  const hostValues = host ? readingValues(host.readings) : undefined;
  const series: UsageSeries[] = [];
  for (const collection of collections) {
    const { set } = collection.target;
    const owner = ownerLabel(set.identity, set.owners.map(ownerName));
    const pod = podLabels(set.owners.flatMap((o) => (o.kind === 'pod' ? [o] : [])));
    const isHost = set.identity === 'host';
    const values = readingValues(collection.readings);
    for (const sample of setUsageSamples(values, collection.samples, isHost ? undefined : hostValues)) {
      if (!Number.isFinite(sample.usage) || !Number.isFinite(sample.limit)) continue;
      // One netns, one series: the set holding the netns's usage shows it, not every set sharing the netns.
      if (collection.target.ownsNetnsUsage === false && isNetnsMetric(sample.metric)) continue;
      series.push({
        metric: sample.metric,
        namespace: set.identity,
        owner,
        usage: sample.usage,
        limit: sample.limit,
        ratio: usageRatio(sample.metric, sample.usage, sample.limit),
        ...(pod ? { pod } : {}),
      });
    }
  }
  return series;
}

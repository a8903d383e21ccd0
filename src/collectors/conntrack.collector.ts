import { parseConntrackStat } from '../domain/limits/parse-conntrack-stat.js';
import { measureAsSample } from '../domain/limits/pair-usage-samples.js';
import type { UsageSample } from '../domain/limits/usage-pairs.js';
import type { CollectionTarget, Collector, CollectorOutput } from './collector.js';
import { ownNetFiles } from './net-target.js';

const LIMIT_KEY = 'net.netfilter.nf_conntrack_max';
const SOURCE = '/proc/PID/net/stat/nf_conntrack';

/** Per-CPU stat columns summed into cumulative counter samples (`*.total`, limit-metrics.ts). */
const COUNTERS: readonly [column: string, metric: string][] = [
  ['drop', 'conntrack.drop.total'],
  ['early_drop', 'conntrack.early_drop.total'],
  ['insert_failed', 'conntrack.insert_failed.total'],
];

/**
 * Conntrack entries of each netns against the global nf_conntrack_max, and its drop counters, read from the host
 * without entering: /proc/PID/net/stat/nf_conntrack is bound to the netns of PID. The limit comes from pairing
 * (build-target-records.ts). Kernels without conntrack procfs lack the file; then the namespace's own
 * nf_conntrack_count (read with its other keys) provides the entries sample and no counter is sampled.
 */
export class ConntrackCollector implements Collector {
  readonly id = 'conntrack';

  async collect(target: CollectionTarget): Promise<CollectorOutput> {
    const files = ownNetFiles(target);
    if (files === null) return {};
    const text = await files.read('stat/nf_conntrack');
    const stat = text === null ? null : parseConntrackStat(text);
    if (!stat) return {};
    const samples: UsageSample[] = [
      measureAsSample({
        metric: 'conntrack.entries',
        usage: stat.entries,
        limitKey: LIMIT_KEY,
        usageKey: 'net.netfilter.nf_conntrack_count',
      }),
    ];
    for (const [column, metric] of COUNTERS) {
      const value = stat.counters[column];
      if (value !== undefined)
        samples.push(
          measureAsSample({ metric, usage: value, limitKey: LIMIT_KEY, usageKey: `${SOURCE} ${column}` }),
        );
    }
    return { samples };
  }
}

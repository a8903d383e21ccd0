import { measureAsSample } from '../domain/limits/pair-usage-samples.js';
import { parseNetstat } from '../domain/limits/parse-netstat.js';
import type { UsageSample } from '../domain/limits/usage-pairs.js';
import type { CollectionTarget, Collector, CollectorOutput } from './collector.js';
import { ownNetFiles } from './net-target.js';

const COUNTERS: readonly [name: string, metric: string][] = [
  ['TcpExt.ListenOverflows', 'tcp.listen_overflows.total'],
  ['TcpExt.ListenDrops', 'tcp.listen_drops.total'],
];

/**
 * Accept-queue overflows of each netns (cumulative TcpExt counters of /proc/PID/net/netstat), tied to that
 * netns's net.core.somaxconn. The counter is stored; rates are computed on read.
 */
export class ListenOverflowsCollector implements Collector {
  readonly id = 'listen-overflows';

  async collect(target: CollectionTarget): Promise<CollectorOutput> {
    const files = ownNetFiles(target);
    if (files === null) return {};
    const text = await files.read('netstat');
    if (text === null) return {};
    const counters = parseNetstat(text);
    const samples: UsageSample[] = [];
    for (const [name, metric] of COUNTERS) {
      const value = counters.get(name);
      if (value !== undefined)
        samples.push(
          measureAsSample({
            metric,
            usage: value,
            limitKey: 'net.core.somaxconn',
            usageKey: `/proc/PID/net/netstat ${name}`,
          }),
        );
    }
    return { samples };
  }
}

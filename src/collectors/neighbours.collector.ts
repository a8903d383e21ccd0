import { measureAsSample } from '../domain/limits/pair-usage-samples.js';
import { countArpEntries } from '../domain/limits/parse-arp-table.js';
import { parseNeighbourStat } from '../domain/limits/parse-neighbour-stat.js';
import type { UsageSample } from '../domain/limits/usage-pairs.js';
import { netFileOf, readOptionalFile } from '../os/proc-file.reader.js';
import type { CollectionTarget, Collector, CollectorOutput } from './collector.js';
import { hostPid, ownNetFiles } from './net-target.js';

const LIMIT_KEY = 'net.ipv4.neigh.default.gc_thresh3';

/**
 * IPv4 neighbour entries against gc_thresh3, which bounds ONE table shared by every netns (KERNEL.md §3.3):
 * each netns's own rows (/proc/PID/net/arp: who holds them), and for the host the global table's entries
 * (/proc/PID/net/stat/arp_cache column 1, registered in the initial netns only: what the limit counts), and
 * that table's `table_fulls` counter (allocations refused at gc_thresh3).
 */
export class NeighboursCollector implements Collector {
  readonly id = 'neighbours';

  async collect(target: CollectionTarget): Promise<CollectorOutput> {
    const files = ownNetFiles(target);
    if (files === null) return {};
    const samples: UsageSample[] = [];
    const arp = await files.read('arp');
    if (arp !== null) {
      samples.push(
        measureAsSample({
          metric: 'neighbours.entries',
          usage: countArpEntries(arp),
          limitKey: LIMIT_KEY,
          usageKey: '/proc/PID/net/arp',
        }),
      );
    }
    const host = hostPid(target);
    const stat =
      host === null ? null : await readOptionalFile(netFileOf(target.procRoot, host, 'stat', 'arp_cache'));
    const parsed = stat === null ? null : parseNeighbourStat(stat);
    if (parsed) {
      samples.push(
        measureAsSample({
          metric: 'neighbours.table_entries',
          usage: parsed.entries,
          limitKey: LIMIT_KEY,
          usageKey: '/proc/net/stat/arp_cache entries',
        }),
      );
    }
    if (parsed && parsed.tableFulls !== null) {
      // neigh_alloc(): entries >= gc_thresh3 and a forced GC freed nothing → table_fulls++ and "neighbor table
      // overflow!" (ratelimited); one counter per CPU, summed.
      samples.push(
        measureAsSample({
          metric: 'neighbours.table_fulls.total',
          usage: parsed.tableFulls,
          limitKey: LIMIT_KEY,
          usageKey: '/proc/net/stat/arp_cache table_fulls',
        }),
      );
    }
    return { samples };
  }
}

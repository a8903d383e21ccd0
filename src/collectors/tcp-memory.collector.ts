import { measureAsSample } from '../domain/limits/pair-usage-samples.js';
import { tcpMemoryPages } from '../domain/limits/parse-sockstat.js';
import { netFileOf, readOptionalFile } from '../os/proc-file.reader.js';
import type { CollectionTarget, Collector, CollectorOutput } from './collector.js';
import { hostPid } from './net-target.js';

/**
 * Pages allocated to TCP against the 3rd field of net.ipv4.tcp_mem. sockstat `mem` is global (the same number
 * in every netns view, KERNEL.md §8), so it is sampled once, on the host set.
 */
export class TcpMemoryCollector implements Collector {
  readonly id = 'tcp-memory';

  async collect(target: CollectionTarget): Promise<CollectorOutput> {
    const pid = hostPid(target);
    if (pid === null) return {};
    const text = await readOptionalFile(netFileOf(target.procRoot, pid, 'sockstat'));
    const pages = text === null ? null : tcpMemoryPages(text);
    if (pages === null) return {};
    return {
      samples: [
        measureAsSample({
          metric: 'tcp.memory_pages',
          usage: pages,
          limitKey: 'net.ipv4.tcp_mem',
          usageKey: '/proc/PID/net/sockstat TCP mem',
        }),
      ],
    };
  }
}

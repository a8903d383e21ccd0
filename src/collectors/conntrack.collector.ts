import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseConntrackStat } from '../domain/limits/parse-conntrack-stat.js';
import type { CollectionTarget, Collector, CollectorOutput } from './collector.js';

/**
 * Conntrack entries of each netns against the global nf_conntrack_max, read from the host without entering:
 * /proc/PID/net/stat/nf_conntrack is bound to the netns of PID. Kernels without conntrack procfs lack the
 * file; then the namespace's own nf_conntrack_count (read with its other keys) provides the sample.
 */
export class ConntrackCollector implements Collector {
  readonly id = 'conntrack';

  async collect(target: CollectionTarget): Promise<CollectorOutput> {
    const { set, procRoot } = target;
    if (set.pid === null || (set.identity !== 'host' && !set.differingTypes.includes('net'))) return {};
    const [statText, maxText] = await Promise.all([
      readOptional(path.join(procRoot, String(set.pid), 'net', 'stat', 'nf_conntrack')),
      readOptional(path.join(procRoot, 'sys', 'net', 'netfilter', 'nf_conntrack_max')),
    ]);
    const stat = statText === null ? null : parseConntrackStat(statText);
    const limit = maxText === null ? Number.NaN : Number(maxText.trim());
    if (!stat || !Number.isFinite(limit) || limit <= 0) return {};
    return {
      samples: [
        {
          metric: 'conntrack.entries',
          usage: stat.entries,
          limit,
          ratio: stat.entries / limit,
          usageKey: 'net.netfilter.nf_conntrack_count',
          limitKey: 'net.netfilter.nf_conntrack_max',
        },
      ],
    };
  }
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

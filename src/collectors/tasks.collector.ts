import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { measureAsSample } from '../domain/limits/pair-usage-samples.js';
import { parseLoadavg } from '../domain/limits/parse-loadavg.js';
import type { UsageSample } from '../domain/limits/usage-pairs.js';
import { readOptionalFile } from '../os/proc-file.reader.js';
import type { CollectionTarget, Collector, CollectorOutput } from './collector.js';

/**
 * Host only: every thread (/proc/loadavg field 4, the kernel's nr_threads) against kernel.threads-max, and the
 * processes of the agent's PID namespace (the numeric entries of the procfs root) against kernel.pid_max.
 * Threads consume PIDs too, so tasks.threads / pid_max is the stricter reading of PID pressure.
 */
export class TasksCollector implements Collector {
  readonly id = 'tasks';

  async collect(target: CollectionTarget): Promise<CollectorOutput> {
    if (target.set.identity !== 'host') return {};
    const samples: UsageSample[] = [];
    const loadavg = await readOptionalFile(path.join(target.procRoot, 'loadavg'));
    const parsed = loadavg === null ? null : parseLoadavg(loadavg);
    if (parsed) {
      samples.push(
        measureAsSample({
          metric: 'tasks.threads',
          usage: parsed.threads,
          limitKey: 'kernel.threads-max',
          usageKey: '/proc/loadavg field 4',
        }),
      );
    }
    const entries = await readdir(target.procRoot);
    samples.push(
      measureAsSample({
        metric: 'tasks.processes',
        usage: entries.filter((name) => /^\d+$/.test(name)).length,
        limitKey: 'kernel.pid_max',
        usageKey: '/proc/<pid> directories',
      }),
    );
    return { samples };
  }
}

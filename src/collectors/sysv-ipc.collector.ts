import { measureAsSample } from '../domain/limits/pair-usage-samples.js';
import { countSysvipcObjects, type SysvipcCounts } from '../domain/limits/parse-sysvipc.js';
import type { UsageSample } from '../domain/limits/usage-pairs.js';
import { readOptionalFile } from '../os/proc-file.reader.js';
import { sysvipcFilesOf } from '../os/sysvipc.reader.js';
import type { CollectionTarget, Collector, CollectorOutput } from './collector.js';
import { NamespaceDumps, ownIpcNamespace } from './namespace-dump.js';

const PAIRS: readonly [kind: keyof SysvipcCounts, metric: string, limitKey: string][] = [
  ['shm', 'ipc.shm_segments', 'kernel.shmmni'],
  ['msg', 'ipc.msg_queues', 'kernel.msgmni'],
  ['sem', 'ipc.sem_sets', 'kernel.sem'],
];

/**
 * SysV IPC objects per IPC namespace against its own shmmni / msgmni / kernel.sem SEMMNI. /proc/sysvipc/* shows
 * the reader's IPC namespace: the host's are read in-process (the agent shares the host's IPC namespace); a set
 * with its own IPC namespace has them read by the same `nsenter … grep` helper that reads its keys
 * (namespace-dump.ts), at no extra exec. Sets that share the host's IPC namespace are not sampled again.
 */
export class SysvIpcCollector implements Collector {
  readonly id = 'sysv-ipc';

  /** `dumps`: the sysctl collector's, so the set's one helper serves both. */
  constructor(private readonly dumps = new NamespaceDumps()) {}

  async collect(target: CollectionTarget): Promise<CollectorOutput> {
    const text = await this.read(target);
    if (text === null) return {};
    const counts = countSysvipcObjects(text);
    const samples: UsageSample[] = [];
    for (const [kind, metric, limitKey] of PAIRS) {
      const usage = counts[kind];
      if (usage !== null)
        samples.push(measureAsSample({ metric, usage, limitKey, usageKey: `/proc/sysvipc/${kind}` }));
    }
    return { samples };
  }

  private async read(target: CollectionTarget): Promise<string | null> {
    const { set } = target;
    if (set.identity === 'host') {
      const texts = await Promise.all(sysvipcFilesOf(target.procRoot).map(readOptionalFile));
      return texts.every((t) => t === null) ? null : texts.map((t) => t ?? '').join('\n');
    }
    // A usage-only read starts no helper: a set's own IPC namespace is counted at its full reads only.
    if (ownIpcNamespace(target) === undefined || target.usageOnly === true) return null;
    return (await this.dumps.of(target))?.sysvipc ?? null;
  }
}

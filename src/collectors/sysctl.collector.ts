import { readSysctlTree } from '../os/sysctl-tree.reader.js';
import type { CollectionTarget, Collector, CollectorOutput } from './collector.js';

/** Every key under <procRoot>/sys of the target. */
export class SysctlCollector implements Collector {
  readonly id = 'sysctl';

  collect(target: CollectionTarget): Promise<CollectorOutput> {
    return Promise.resolve({ readings: readSysctlTree(target.procRoot) });
  }
}

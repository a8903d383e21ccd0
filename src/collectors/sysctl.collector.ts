import { concealSecrets } from '../domain/sysctl/secret-keys.js';
import { readNamespaceSysctls } from '../os/namespace-sysctl.reader.js';
import { readSysctlTree } from '../os/sysctl-tree.reader.js';
import type { CollectionTarget, Collector, CollectorOutput } from './collector.js';

/**
 * Every key of the target: the host's whole tree in-process; another set's keys of the namespace types in
 * which it differs from the host, through a short-lived nsenter helper. Secrets leave as digests only.
 */
export class SysctlCollector implements Collector {
  readonly id = 'sysctl';

  async collect(target: CollectionTarget): Promise<CollectorOutput> {
    const { set } = target;
    if (set.identity === 'host') {
      return { readings: concealSecrets(readSysctlTree(target.procRoot)), method: 'in-process' };
    }
    if (set.differingTypes.length === 0) return { readings: [] };
    const result = await readNamespaceSysctls({
      procRoot: target.procRoot,
      enter: set.entry,
      types: set.differingTypes,
      timeoutMs: target.timeoutMs,
    });
    return { readings: concealSecrets(result.readings), method: 'nsenter' };
  }
}

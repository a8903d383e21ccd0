import { concealSecrets } from '../domain/sysctl/secret-keys.js';
import type { SysctlReading } from '../domain/sysctl/sysctl-types.js';
import { readNamespaceSysctls } from '../os/namespace-sysctl.reader.js';
import { readSysctlTree, SysctlTreeMemo } from '../os/sysctl-tree.reader.js';
import type { CollectionTarget, Collector, CollectorOutput } from './collector.js';
import { NamespaceDumps } from './namespace-dump.js';

/**
 * Every key of the target: the host's whole tree in-process; another set's keys of the namespace types in
 * which it differs from the host, through a short-lived nsenter helper (namespace-dump.ts, shared with the
 * SysV IPC collector). Keys owned by the set's own pid namespace (`kernel.pid_max` ≥ 6.14) are read in the
 * same helper, which also enters that pid namespace (nsenter forks, so grep runs inside it); `user.*` keys of its own user namespace need a second helper that
 * enters only that one (once inside a user namespace, root can no longer enter a netns the host's owns).
 * Secrets leave as digests only.
 */
export class SysctlCollector implements Collector {
  readonly id = 'sysctl';

  /** The host's last walk (its tree is read in full at every snapshot). */
  private readonly hostTree = new SysctlTreeMemo();

  constructor(private readonly dumps = new NamespaceDumps()) {}

  retain(identities: ReadonlySet<string>): void {
    this.dumps.retain(identities);
  }

  async collect(target: CollectionTarget): Promise<CollectorOutput> {
    const { set } = target;
    if (set.identity === 'host') {
      return {
        readings: concealSecrets(readSysctlTree(target.procRoot, { memo: this.hostTree })),
        method: 'in-process',
      };
    }
    if (target.usageOnly === true) return { readings: [], method: 'usage-only' };
    const user = target.keyNamespaces?.user;
    const dump = await this.dumps.of(target);
    if (dump === null && !user) return { readings: [] };
    if (!user) return { readings: dump?.readings ?? [], method: 'nsenter' };
    const own = await readNamespaceSysctls({
      procRoot: target.procRoot,
      enter: { user: user.file },
      types: ['user'],
      timeoutMs: target.timeoutMs,
    });
    const readings: SysctlReading[] = [...(dump?.readings ?? []), ...concealSecrets(own.readings)];
    return { readings, method: 'nsenter' };
  }
}

import type { SysctlReading } from '../domain/sysctl/sysctl-types.js';
import { readNamespaceSysctls } from '../os/namespace-sysctl.reader.js';
import type { CollectionTarget } from './collector.js';

/** What one helper read in a set's own net/ipc/uts (and pid) namespaces. */
export interface NamespaceDump {
  readonly readings: SysctlReading[];
  /** /proc/sysvipc/{shm,msg,sem} of the set's own IPC namespace; null when it shares the host's. */
  readonly sysvipc: string | null;
}

const dumps = new WeakMap<CollectionTarget, Promise<NamespaceDump | null>>();

/**
 * The one `nsenter … grep` helper of a non-host set, shared by the collectors of the target (the sysctl
 * collector takes the keys, the SysV IPC collector the /proc/sysvipc files read in the same pass): one fork
 * and exec per set and snapshot instead of one per collector. Null when the set differs from the host in no
 * namespace type the helper enters. A failure rejects for every collector that asks, each recording it.
 */
export function namespaceDumpOf(target: CollectionTarget): Promise<NamespaceDump | null> {
  let dump = dumps.get(target);
  if (!dump) {
    dump = readDump(target);
    dumps.set(target, dump);
  }
  return dump;
}

/** The IPC namespace file of a set whose IPC namespace is its own (not the host's), else undefined. */
export function ownIpcNamespace(target: CollectionTarget): string | undefined {
  const { set } = target;
  return set.identity !== 'host' && set.differingTypes.includes('ipc') ? set.entry.ipc : undefined;
}

async function readDump(target: CollectionTarget): Promise<NamespaceDump | null> {
  const { set } = target;
  const pid = target.keyNamespaces?.pid;
  const types = [...set.differingTypes, ...(pid ? (['pid'] as const) : [])];
  if (set.identity === 'host' || types.length === 0) return null;
  const result = await readNamespaceSysctls({
    procRoot: target.procRoot,
    enter: { ...set.entry, ...(pid ? { pid: pid.file } : {}) },
    types,
    timeoutMs: target.timeoutMs,
    sysvipc: ownIpcNamespace(target) !== undefined,
  });
  return { readings: result.readings, sysvipc: result.sysvipc };
}

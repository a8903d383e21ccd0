import { ownString } from '../domain/history/string-pool.js';
import { ReadingPool } from '../domain/sysctl/reading-pool.js';
import { concealSecrets } from '../domain/sysctl/secret-keys.js';
import type { SysctlReading } from '../domain/sysctl/sysctl-types.js';
import { type NamespaceSysctlResult, readNamespaceSysctls } from '../os/namespace-sysctl.reader.js';
import type { CollectionTarget } from './collector.js';

/** What one helper read in a set's own net/ipc/uts (and pid) namespaces. */
export interface NamespaceDump {
  /** The set's keys, secrets already concealed. The same array while the set's dump stays byte-identical. */
  readonly readings: readonly SysctlReading[];
  /** /proc/sysvipc/{shm,msg,sem} of the set's own IPC namespace; null when it shares the host's. */
  readonly sysvipc: string | null;
}

interface Remembered {
  /** The last read, its readings those of `dump` (concealed): what the next read is compared with. */
  readonly result: NamespaceSysctlResult;
  readonly dump: NamespaceDump;
}

/**
 * The one `nsenter … grep` helper of each non-host set, shared by the collectors of the target (the sysctl
 * collector takes the keys, the SysV IPC collector the /proc/sysvipc files read in the same pass): one fork
 * and exec per set and snapshot instead of one per collector. A failure rejects for every collector that asks,
 * each recording it.
 *
 * The last dump of each set is remembered: when the next one is byte for byte the same (its digest), the
 * remembered readings are handed out again instead of new ones being parsed, so an idle node's snapshot
 * allocates (and the garbage collector moves) almost nothing per set. Every key is still read every time;
 * only the parsing is skipped. Sets no longer collected are forgotten (`retain`).
 *
 * What is remembered is kept compact, since a node's pods have the same keys and mostly the same values: each
 * distinct reading is one object shared by every set that has it (ReadingPool), and no remembered string is a
 * slice of the helper's output (a value or counter file cut from a dump would keep the whole dump alive). At
 * 110 pods that is ~80,000 readings, most of them the same few thousand objects, and no dump. The readings
 * handed out are those pooled ones, and the one array of them a set keeps is also what its next read is
 * compared with.
 */
export class NamespaceDumps {
  private readonly inFlight = new WeakMap<CollectionTarget, Promise<NamespaceDump | null>>();
  private readonly last = new Map<string, Remembered>();
  private readonly pool = new ReadingPool();

  /** The target's dump, read once however many collectors ask; null when it differs from the host in nothing. */
  of(target: CollectionTarget): Promise<NamespaceDump | null> {
    let dump = this.inFlight.get(target);
    if (!dump) {
      dump = this.read(target);
      this.inFlight.set(target, dump);
    }
    return dump;
  }

  /** Forgets the sets not in `identities` (those of the pass that just ended). */
  retain(identities: ReadonlySet<string>): void {
    for (const identity of this.last.keys()) if (!identities.has(identity)) this.last.delete(identity);
    this.pool.trim(this.keptReadings());
  }

  private *keptReadings(): Iterable<readonly SysctlReading[]> {
    for (const { dump } of this.last.values()) yield dump.readings;
  }

  private async read(target: CollectionTarget): Promise<NamespaceDump | null> {
    const { set } = target;
    const pid = target.keyNamespaces?.pid;
    const types = [...set.differingTypes, ...(pid ? (['pid'] as const) : [])];
    if (set.identity === 'host' || types.length === 0) return null;
    const previous = this.last.get(set.identity);
    let result: NamespaceSysctlResult;
    try {
      result = await readNamespaceSysctls({
        procRoot: target.procRoot,
        enter: { ...set.entry, ...(pid ? { pid: pid.file } : {}) },
        types,
        timeoutMs: target.timeoutMs,
        sysvipc: ownIpcNamespace(target) !== undefined,
        ...(previous ? { previous: previous.result } : {}),
      });
    } catch (error) {
      this.last.delete(set.identity);
      throw error;
    }
    if (previous && result.readings === previous.result.readings) {
      this.last.set(set.identity, { result, dump: previous.dump });
      return previous.dump;
    }
    if (previous && result.digest !== null && result.digest === previous.result.digest) {
      // Only counters moved: the reader handed back the remembered (concealed) readings with the counters' new
      // readings in their places. Concealment keeps each reading's place, and a counter is no secret.
      const dump = { readings: result.readings, sysvipc: result.sysvipc };
      this.last.set(set.identity, { result, dump });
      return dump;
    }
    const compact = this.compact(result);
    const dump = { readings: compact.readings, sysvipc: compact.sysvipc };
    this.last.set(set.identity, { result: compact, dump });
    return dump;
  }

  /**
   * A freshly parsed result as it is remembered: its readings concealed and pooled (the reader only looks up
   * the counters in them, which are no secrets), and strings of its own (none a slice of the dump).
   */
  private compact(result: NamespaceSysctlResult): NamespaceSysctlResult {
    const counters = new Map<string, number>();
    for (const [file, index] of result.counters) counters.set(ownString(file), index);
    return {
      ...result,
      readings: this.pool.shareAll(concealSecrets(result.readings)),
      sysvipc: result.sysvipc === null ? null : ownString(result.sysvipc),
      counters,
    };
  }
}

/** The IPC namespace file of a set whose IPC namespace is its own (not the host's), else undefined. */
export function ownIpcNamespace(target: CollectionTarget): string | undefined {
  const { set } = target;
  return set.identity !== 'host' && set.differingTypes.includes('ipc') ? set.entry.ipc : undefined;
}

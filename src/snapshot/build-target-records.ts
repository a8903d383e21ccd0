import type { TargetCollection } from '../collectors/collector-runner.js';
import { isVolatileKey } from '../domain/classification/volatile-keys.js';
import { CompactState } from '../domain/history/compact-state.js';
import type { ValueState } from '../domain/history/diff-value-maps.js';
import {
  planTargetChanges,
  type TargetChangePlan,
  type VolatileReading,
} from '../domain/history/plan-target-changes.js';
import {
  SAMPLE_HEARTBEAT_MS,
  selectSamplesToStore,
  type StoredSample,
} from '../domain/limits/select-samples-to-store.js';
import { isNetnsMetric } from '../domain/limits/limit-metrics.js';
import { setUsageSamples } from '../domain/limits/pair-usage-samples.js';
import type { NetnsUsageRole } from '../domain/namespaces/assign-netns-usage.js';
import { readingValues } from '../domain/sysctl/reading-values.js';
import type { SysctlReading } from '../domain/sysctl/sysctl-types.js';
import type { TargetRecord } from '../storage/snapshot.writer.js';

/**
 * The plan of an unchanged set without a new state map: when a complete read's settings (readable, not
 * volatile) are, in order, exactly the entries of `previous` (which was built from the same kind of read in the
 * same order), planTargetChanges would find no change and build an equal map. `previous` is kept instead, so
 * an idle node's snapshot puts no new long-lived maps on the heap. Null when anything differs (or the read was
 * incomplete): then the set is planned in full.
 */
function unchangedPlan(
  previous: ValueState,
  readings: readonly SysctlReading[],
  complete: boolean,
): TargetChangePlan | null {
  if (!complete) return null;
  const volatileValues: VolatileReading[] = [];
  const same = sameInOrder(previous);
  let place = 0;
  for (const reading of readings) {
    if (reading.access === 'write-only') continue;
    if (isVolatileKey(reading.key)) {
      volatileValues.push({ key: reading.key, value: reading.value });
      continue;
    }
    if (!same(place, reading)) return null;
    place += 1;
  }
  if (place !== previous.size) return null;
  return { changes: [], volatileValues, nextState: previous };
}

/**
 * Whether the `place`-th entry of `previous` is `reading`'s key and value, asked for places 0, 1, 2… in turn.
 * A compact state answers from its arrays: its entries() would make a pair for each of the host's ~16,000 keys
 * at every snapshot (~5 MB of garbage on a 110-pod node).
 */
function sameInOrder(previous: ValueState): (place: number, reading: SysctlReading) => boolean {
  if (previous instanceof CompactState) {
    const { keys } = previous.order;
    return (place, reading) => keys[place] === reading.key && previous.valueAt(place) === reading.value;
  }
  const entries = previous.entries();
  return (_place, reading) => {
    const entry = entries.next();
    return entry.done !== true && entry.value[0] === reading.key && entry.value[1] === reading.value;
  };
}

export interface PlannedTarget {
  readonly record: TargetRecord;
  readonly nextState: ValueState;
}

/**
 * Turns one set's collection into what the writer persists: interval changes, counters, samples, owners.
 * Collectors' measures are paired with the set's own value of their limit key, else with `hostValues` (the host
 * set's readings, for global keys a child namespace does not show, e.g. tcp_mem and gc_thresh3 in a netns).
 */
export function buildTargetRecord(
  collection: TargetCollection,
  previous: ValueState,
  lastSamples: ReadonlyMap<string, StoredSample>,
  takenAt: number,
  hostValues?: ReadonlyMap<string, string>,
  netnsRole?: NetnsUsageRole,
): PlannedTarget {
  const plan = planSetChanges(previous, collection);
  return finishTargetRecord(collection, plan, lastSamples, takenAt, hostValues, netnsRole);
}

/**
 * A set's changes against its last known state: kept as it is when nothing changed (`unchangedPlan`). A
 * usage-only read read no key, so it changes nothing and the state stays the last known one.
 */
export function planSetChanges(previous: ValueState, collection: TargetCollection): TargetChangePlan {
  if (collection.usageOnly === true) return { changes: [], volatileValues: [], nextState: previous };
  return (
    unchangedPlan(previous, collection.readings, collection.complete) ??
    planTargetChanges(previous, collection.readings, isVolatileKey, collection.complete)
  );
}

/**
 * buildTargetRecord with the set's changes already planned, when its read completed (collection-reducer.ts):
 * the collection then needs only the readings usage pairing reads (`keysReadForUsage`).
 */
export function finishTargetRecord(
  collection: TargetCollection,
  plan: TargetChangePlan,
  lastSamples: ReadonlyMap<string, StoredSample>,
  takenAt: number,
  hostValues?: ReadonlyMap<string, string>,
  netnsRole?: NetnsUsageRole,
): PlannedTarget {
  const { set } = collection.target;
  const values = readingValues(collection.readings);
  const all = setUsageSamples(values, collection.samples, set.identity === 'host' ? undefined : hostValues);
  // Another set sharing the netns holds its usage (even nf_conntrack_count, read here with the netns's keys).
  const samples =
    collection.target.ownsNetnsUsage === false ? all.filter((s) => !isNetnsMetric(s.metric)) : all;
  return {
    record: {
      identity: set.identity,
      kind: set.kind,
      inodes: set.inodes,
      owners: set.owners,
      netnsSharers: netnsRole?.holder === true ? netnsRole.sharers : [],
      keyNamespaceInodes: {
        pid: collection.target.keyNamespaces?.pid?.inode ?? null,
        user: collection.target.keyNamespaces?.user?.inode ?? null,
      },
      vanished: false,
      complete: collection.complete,
      ...(collection.usageOnly === true ? { usageOnly: true } : {}),
      changes: plan.changes,
      volatileValues: plan.volatileValues,
      samples: selectSamplesToStore(lastSamples, samples, takenAt, SAMPLE_HEARTBEAT_MS),
    },
    nextState: plan.nextState,
  };
}

/** A set seen last time and not now: every open interval closes. */
export function vanishedTargetRecord(identity: string, previous: ValueState): TargetRecord {
  return {
    identity,
    kind: 'process',
    inodes: { net: null, ipc: null, uts: null },
    owners: [],
    vanished: true,
    complete: false,
    changes: [...previous].map(([key, value]) => ({ key, kind: 'removed', before: value, after: undefined })),
    volatileValues: [],
    samples: [],
  };
}

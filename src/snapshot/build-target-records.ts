import type { TargetCollection } from '../collectors/collector-runner.js';
import { isVolatileKey } from '../domain/classification/volatile-keys.js';
import type { ValueState } from '../domain/history/diff-value-maps.js';
import { planTargetChanges, type TargetChangePlan } from '../domain/history/plan-target-changes.js';
import {
  SAMPLE_HEARTBEAT_MS,
  selectSamplesToStore,
  type StoredSample,
} from '../domain/limits/select-samples-to-store.js';
import { isNetnsMetric } from '../domain/limits/limit-metrics.js';
import { setUsageSamples } from '../domain/limits/pair-usage-samples.js';
import type { NetnsUsageRole } from '../domain/namespaces/assign-netns-usage.js';
import { readingValues } from '../domain/sysctl/reading-values.js';
import type { TargetRecord } from '../storage/snapshot.writer.js';

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
  const plan = planTargetChanges(previous, collection.readings, isVolatileKey, collection.complete);
  return finishTargetRecord(collection, plan, lastSamples, takenAt, hostValues, netnsRole);
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

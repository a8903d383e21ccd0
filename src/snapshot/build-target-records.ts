import type { TargetCollection } from '../collectors/collector-runner.js';
import { isVolatileKey } from '../domain/classification/volatile-keys.js';
import type { ValueState } from '../domain/history/diff-value-maps.js';
import { planTargetChanges } from '../domain/history/plan-target-changes.js';
import {
  mergeSamples,
  selectSamplesToStore,
  type StoredSample,
} from '../domain/limits/select-samples-to-store.js';
import { deriveUsageSamples } from '../domain/limits/usage-pairs.js';
import type { TargetRecord } from '../storage/snapshot.writer.js';

/** A usage series with no change is still stored once an hour, to show the agent was watching. */
export const SAMPLE_HEARTBEAT_MS = 3_600_000;

export interface PlannedTarget {
  readonly record: TargetRecord;
  readonly nextState: ValueState;
}

/** Turns one set's collection into what the writer persists: interval changes, counters, samples, owners. */
export function buildTargetRecord(
  collection: TargetCollection,
  previous: ValueState,
  lastSamples: ReadonlyMap<string, StoredSample>,
  takenAt: number,
): PlannedTarget {
  const { set } = collection.target;
  const plan = planTargetChanges(previous, collection.readings, isVolatileKey, collection.complete);
  const values = new Map<string, string>();
  for (const r of collection.readings) if (r.value !== null) values.set(r.key, r.value);
  const samples = mergeSamples(deriveUsageSamples(values), collection.samples);
  return {
    record: {
      identity: set.identity,
      kind: set.kind,
      inodes: set.inodes,
      owners: set.owners,
      vanished: false,
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
    changes: [...previous].map(([key, value]) => ({ key, kind: 'removed', before: value, after: undefined })),
    volatileValues: [],
    samples: [],
  };
}

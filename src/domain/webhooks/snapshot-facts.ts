import type { ValueDifference } from '../history/diff-value-maps.js';
import type { UsageSample } from '../limits/usage-pairs.js';
import type { SaturationLevel } from './next-saturation-level.js';

/** An owner as events show it. */
export interface OwnerSummary {
  readonly kind: string;
  /** Container id, netns name or pid. */
  readonly ref: string;
  readonly name: string;
  readonly image: string | null;
}

export interface NamespaceFacts {
  readonly identity: string;
  readonly kind: string;
  readonly owners: readonly OwnerSummary[];
}

/** One namespace set of a committed snapshot (the writer's TargetRecord, with owners as stored). */
export interface TargetFacts extends NamespaceFacts {
  readonly vanished: boolean;
  /** First seen in this snapshot (and not the first snapshot ever). */
  readonly appeared: boolean;
  readonly changes: readonly ValueDifference[];
  /**
   * The set's previous reading: its changes happened after it and at or before the snapshot (null when the
   * set had never been read before). Absent on sets without changes.
   */
  readonly changedAfter?: number | null;
  /** The usage samples the snapshot computed and stored (change-only: unchanged series are absent). */
  readonly samples: readonly UsageSample[];
}

export interface KeyFacts {
  readonly scope: string;
  readonly childVisibility: string | null;
  readonly volatile: boolean;
}

/** Everything the events of one committed snapshot are derived from; loaded by the outbox in its transaction. */
export interface SnapshotFacts {
  readonly snapshotId: number;
  readonly takenAt: number;
  readonly targets: readonly TargetFacts[];
  /** Classification of every changed key, after this snapshot's reclassification. */
  readonly keys: ReadonlyMap<string, KeyFacts>;
  /** Open value of each changed key in each namespace set that holds its own (identity → value). */
  readonly openValues: ReadonlyMap<string, ReadonlyMap<string, string | null>>;
  /** Saturation level of each series before this snapshot, by `seriesId(identity, metric)`. */
  readonly levels: ReadonlyMap<string, SaturationLevel>;
}

export function seriesId(identity: string, metric: string): string {
  return `${identity}\u0000${metric}`;
}

import type { SysctlReading } from '../sysctl/sysctl-types.js';
import { diffValueMaps, type ValueDifference, type ValueState } from './diff-value-maps.js';

export interface VolatileReading {
  readonly key: string;
  readonly value: string | null;
}

export interface TargetChangePlan {
  /** Interval changes for settings (non-volatile keys): close the old value, open the new one. */
  readonly changes: readonly ValueDifference[];
  /** Latest values of counters: stored in place, never as history. */
  readonly volatileValues: readonly VolatileReading[];
  /**
   * The new state of settings, to remember for the next snapshot: `previous` itself when nothing changed, so an
   * idle set keeps one map (and its strings) from snapshot to snapshot instead of a new copy each time.
   */
  readonly nextState: ValueState;
}

/**
 * Splits one target's readings into setting changes against its previous state and counter values.
 * Write-only keys carry no value and take no part. When the read was incomplete (the walk failed), keys
 * missing from this pass are not treated as removed.
 */
export function planTargetChanges(
  previous: ValueState,
  readings: readonly SysctlReading[],
  isVolatile: (key: string) => boolean,
  complete: boolean,
): TargetChangePlan {
  const current = new Map<string, string | null>();
  const volatileValues: VolatileReading[] = [];
  for (const reading of readings) {
    if (reading.access === 'write-only') continue;
    if (isVolatile(reading.key)) volatileValues.push({ key: reading.key, value: reading.value });
    else current.set(reading.key, reading.value);
  }
  if (!complete) {
    for (const [key, value] of previous) if (!current.has(key)) current.set(key, value);
  }
  const changes = diffValueMaps(previous, current);
  return { changes, volatileValues, nextState: changes.length === 0 ? previous : current };
}

import type { UsageSample } from '../domain/limits/usage-pairs.js';
import type { SysctlReading } from '../domain/sysctl/sysctl-types.js';
import type { CollectionTarget, Collector, ReadMethod } from './collector.js';

export interface CollectionError {
  readonly target: string;
  readonly collector: string;
  readonly message: string;
}

export interface TargetCollection {
  readonly target: CollectionTarget;
  readonly readings: readonly SysctlReading[];
  readonly samples: UsageSample[];
  readonly errors: CollectionError[];
  /** False when the sysctl collector failed: the target's keys must not be read as "all removed". */
  readonly complete: boolean;
  /** Only usage was read (CollectionTarget.usageOnly): no readings, and none missing. */
  readonly usageOnly?: boolean;
  readonly method: ReadMethod | null;
}

/** Runs every collector on one target, isolating each one's failure. */
export async function runCollectors(
  collectors: readonly Collector[],
  target: CollectionTarget,
): Promise<TargetCollection> {
  const readings: SysctlReading[] = [];
  const samples: UsageSample[] = [];
  const errors: CollectionError[] = [];
  let complete = true;
  let method: ReadMethod | null = null;
  let only: readonly SysctlReading[] | null = null;
  for (const collector of collectors) {
    try {
      const output = await collector.collect(target);
      if (output.readings && output.readings.length > 0) {
        if (only === null && readings.length === 0) only = output.readings;
        else {
          if (only !== null) readings.push(...only);
          only = null;
          readings.push(...output.readings);
        }
      }
      if (output.samples) samples.push(...output.samples);
      method = output.method ?? method;
    } catch (error) {
      if (collector.id === 'sysctl') complete = false;
      errors.push({
        target: target.set.identity,
        collector: collector.id,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  // One collector's readings are handed on as they are (the sysctl collector's remembered array, unchanged
  // while the set is idle), so what is derived from them can be remembered by that array too.
  const usageOnly = target.usageOnly === true;
  return { target, readings: only ?? readings, samples, errors, complete, usageOnly, method };
}

/** Runs the collectors on every target, at most `concurrency` targets at a time. */
export function runCollectorsOnAll(
  collectors: readonly Collector[],
  targets: readonly CollectionTarget[],
  concurrency: number,
): Promise<TargetCollection[]> {
  return collectEach(collectors, targets, concurrency, (collection) => Promise.resolve(collection));
}

/**
 * Runs the collectors on every target, at most `concurrency` targets at a time, and hands each target's
 * collection to `reduce` as soon as it is complete; what `reduce` returns is kept, in target order, instead of
 * the collection. A snapshot of a node with 110 pods so holds a few sets' readings at a time, not all of them
 * (README, "Memory"). Collectors then forget the sets no longer collected (`retain`).
 */
export async function collectEach<T>(
  collectors: readonly Collector[],
  targets: readonly CollectionTarget[],
  concurrency: number,
  reduce: (collection: TargetCollection, index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(targets.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (next < targets.length && failure === null) {
      const index = next++;
      const target = targets[index];
      if (!target) continue;
      const collection = await runCollectors(collectors, target);
      try {
        results[index] = await reduce(collection, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  // A failed reduction fails the whole pass, but only once every read in flight has ended: no helper of this
  // snapshot is still running when the next one starts.
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, targets.length)) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
  const identities = new Set(targets.map((t) => t.set.identity));
  for (const collector of collectors) collector.retain?.(identities);
  return results;
}

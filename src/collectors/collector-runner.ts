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
  return { target, readings: only ?? readings, samples, errors, complete, method };
}

/** Runs the collectors on every target, at most `concurrency` targets at a time. */
export async function runCollectorsOnAll(
  collectors: readonly Collector[],
  targets: readonly CollectionTarget[],
  concurrency: number,
): Promise<TargetCollection[]> {
  const results: TargetCollection[] = new Array<TargetCollection>(targets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const index = next++;
      const target = targets[index];
      if (target) results[index] = await runCollectors(collectors, target);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, targets.length)) }, worker));
  const identities = new Set(targets.map((t) => t.set.identity));
  for (const collector of collectors) collector.retain?.(identities);
  return results;
}

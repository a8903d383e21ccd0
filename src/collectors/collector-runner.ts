import type { UsageSample } from '../domain/limits/usage-pairs.js';
import type { SysctlReading } from '../domain/sysctl/sysctl-types.js';
import type { CollectionTarget, Collector } from './collector.js';

export interface CollectionError {
  readonly target: string;
  readonly collector: string;
  readonly message: string;
}

export interface TargetCollection {
  readonly target: CollectionTarget;
  readonly readings: SysctlReading[];
  readonly samples: UsageSample[];
  readonly errors: CollectionError[];
  /** False when the sysctl collector failed: the target's keys must not be read as "all removed". */
  readonly complete: boolean;
  readonly durationsMs: Readonly<Record<string, number>>;
}

/** Runs every collector on one target, timing each and isolating its failures. */
export async function runCollectors(
  collectors: readonly Collector[],
  target: CollectionTarget,
): Promise<TargetCollection> {
  const readings: SysctlReading[] = [];
  const samples: UsageSample[] = [];
  const errors: CollectionError[] = [];
  const durationsMs: Record<string, number> = {};
  let complete = true;
  for (const collector of collectors) {
    const started = performance.now();
    try {
      const output = await collector.collect(target);
      if (output.readings) readings.push(...output.readings);
      if (output.samples) samples.push(...output.samples);
    } catch (error) {
      if (collector.id === 'sysctl') complete = false;
      errors.push({
        target: target.identity,
        collector: collector.id,
        message: error instanceof Error ? error.message : String(error),
      });
    }
    durationsMs[collector.id] = performance.now() - started;
  }
  return { target, readings, samples, errors, complete, durationsMs };
}

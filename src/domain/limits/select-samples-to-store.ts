import type { UsageSample } from './usage-pairs.js';

/** A usage series with no change is still stored once an hour, to show the agent was watching. */
export const SAMPLE_HEARTBEAT_MS = 3_600_000;

export interface StoredSample {
  readonly usage: number;
  readonly limit: number;
  readonly takenAt: number;
}

/**
 * Usage series are stored change-only, like settings: a sample is written when its usage or limit differs
 * from the last stored one of the same series, or when that one is older than `heartbeatMs` (so a flat
 * series still shows the agent was watching). An idle host with 50 quiet netns then writes a handful of
 * samples per snapshot instead of one per set. Readers treat a series as a step function.
 */
export function selectSamplesToStore(
  last: ReadonlyMap<string, StoredSample>,
  samples: readonly UsageSample[],
  now: number,
  heartbeatMs: number,
): UsageSample[] {
  return samples.filter((sample) => {
    const previous = last.get(sample.metric);
    return (
      !previous ||
      previous.usage !== sample.usage ||
      previous.limit !== sample.limit ||
      now - previous.takenAt >= heartbeatMs
    );
  });
}

/** Merges samples by metric; later sources win (a collector's direct reading over one derived from sysctls). */
export function mergeSamples(...sources: readonly (readonly UsageSample[])[]): UsageSample[] {
  const byMetric = new Map<string, UsageSample>();
  for (const source of sources) for (const sample of source) byMetric.set(sample.metric, sample);
  return [...byMetric.values()];
}

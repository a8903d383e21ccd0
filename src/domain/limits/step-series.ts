/** One stored sample of a series (samples are change-only: the value holds until the next one). */
export interface SeriesSample {
  readonly takenAt: number;
  readonly usage: number;
  readonly limit: number;
}

export interface SeriesPoint {
  /** Start of the step (or of the bucket when downsampled). */
  readonly at: number;
  readonly usage: number;
  readonly limit: number;
  /** usage / limit for levels; null for counters. */
  readonly ratio: number | null;
  /** Counters only: increase per second since the previous sample (over the bucket's steps: their maximum). */
  readonly ratePerSecond: number | null;
}

export interface StepSeries {
  readonly points: SeriesPoint[];
  /** Null when every step is returned; else the bucket width and the rule applied. */
  readonly downsampled: { readonly buckets: number; readonly bucketMs: number; readonly rule: string } | null;
}

/** Increase per second between two counter readings; a decrease is a reset (new netns, reboot): counted from 0. */
function rate(previous: SeriesSample | undefined, current: SeriesSample): number | null {
  if (!previous || current.takenAt <= previous.takenAt) return null;
  const increase = current.usage >= previous.usage ? current.usage - previous.usage : current.usage;
  return increase / ((current.takenAt - previous.takenAt) / 1000);
}

function stepsOf(samples: readonly SeriesSample[], from: number, counter: boolean): SeriesPoint[] {
  return samples.map((s, i) => ({
    at: Math.max(s.takenAt, from),
    usage: s.usage,
    limit: s.limit,
    ratio: counter || s.limit <= 0 ? null : s.usage / s.limit,
    ratePerSecond: counter ? rate(samples[i - 1], s) : null,
  }));
}

/** Levels: the step with the highest usage. Counters: the last count, and the highest rate of the bucket. */
function foldBucket(at: number, candidates: readonly SeriesPoint[], counter: boolean): SeriesPoint {
  const last = candidates[candidates.length - 1] as SeriesPoint;
  if (counter) {
    const rates = candidates.map((c) => c.ratePerSecond ?? 0);
    return { ...last, at, ratePerSecond: Math.max(...rates) };
  }
  const highest = candidates.reduce((best, c) => (c.usage > best.usage ? c : best));
  return { ...highest, at };
}

/**
 * The series over [from, to] as steps. `samples` are sorted by time and may start with the last sample at or
 * before `from` (the value in force at `from`). More than `maxPoints` steps are folded into `maxPoints`
 * equal buckets keeping, per bucket, the step with the highest usage (levels; so a saturation is never hidden)
 * or the highest rate (counters); a bucket without a new sample repeats the step in force.
 */
export function toStepSeries(
  samples: readonly SeriesSample[],
  from: number,
  to: number,
  maxPoints: number,
  counter: boolean,
): StepSeries {
  const steps = stepsOf(samples, from, counter);
  if (steps.length <= maxPoints) return { points: steps, downsampled: null };
  const bucketMs = Math.max(1, Math.ceil((to - from + 1) / maxPoints));
  const points: SeriesPoint[] = [];
  let index = 0;
  let inForce: SeriesPoint | undefined;
  for (let start = from; start <= to && points.length < maxPoints; start += bucketMs) {
    // The step in force when the bucket opens; a counter with no new sample in a bucket did not move in it.
    const candidates: SeriesPoint[] = inForce ? [{ ...inForce, ratePerSecond: counter ? 0 : null }] : [];
    while (index < steps.length && (steps[index] as SeriesPoint).at < start + bucketMs) {
      inForce = steps[index++] as SeriesPoint;
      candidates.push(inForce);
    }
    if (candidates.length > 0) points.push(foldBucket(start, candidates, counter));
  }
  return {
    points,
    downsampled: {
      buckets: points.length,
      bucketMs,
      rule: counter ? 'max rate per bucket (usage = last count)' : 'max usage per bucket',
    },
  };
}

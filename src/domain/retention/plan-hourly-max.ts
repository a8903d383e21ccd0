import { hourOf } from './retention-cutoffs.js';

export interface UsageSampleRow {
  readonly id: number;
  readonly takenAt: number;
  readonly usage: number;
}

export interface HourlyMaxPlan {
  /** Rows to delete: every row of a finished hour bucket except its keeper. */
  readonly deleteIds: number[];
  /** Where the next page of this series starts (a bucket start), or null when the series is done. */
  readonly resumeAt: number | null;
}

/**
 * Plans one page of the hourly-max reduction of ONE usage series (rows ordered by taken_at, id, all before
 * the hour-aligned cutoff). Each hour keeps the row with the highest usage; ties keep the earliest row, so
 * a reduced hour is stable and a second pass deletes nothing.
 *
 * `pageFull` says the page was cut at its size limit: the last bucket may then continue past the page, so
 * it is left for the next page (resumeAt = its start) unless it is the only bucket, in which case it is
 * reduced as far as the page goes and read again (its keeper plus the rows after it) until it fits. Every
 * full page either deletes rows or moves resumeAt forward, so the walk always ends.
 */
export function planHourlyMax(rows: readonly UsageSampleRow[], pageFull: boolean): HourlyMaxPlan {
  const buckets: UsageSampleRow[][] = [];
  let current: UsageSampleRow[] = [];
  let currentHour = Number.NaN;
  for (const row of rows) {
    const hour = hourOf(row.takenAt);
    if (hour !== currentHour) {
      if (current.length > 0) buckets.push(current);
      current = [];
      currentHour = hour;
    }
    current.push(row);
  }
  if (current.length > 0) buckets.push(current);
  if (buckets.length === 0) return { deleteIds: [], resumeAt: null };

  const last = buckets[buckets.length - 1] ?? [];
  const lastStart = hourOf(last[0]?.takenAt ?? 0);
  const finished = pageFull && buckets.length > 1 ? buckets.slice(0, -1) : buckets;
  const deleteIds: number[] = [];
  for (const bucket of finished) {
    const keeper = keeperOf(bucket);
    for (const row of bucket) if (row !== keeper) deleteIds.push(row.id);
  }
  return { deleteIds, resumeAt: pageFull ? lastStart : null };
}

/** The row with the highest usage; the earliest (then lowest id) among equals. Rows come time-ordered. */
export function keeperOf(bucket: readonly UsageSampleRow[]): UsageSampleRow | undefined {
  let best: UsageSampleRow | undefined;
  for (const row of bucket) if (best === undefined || row.usage > best.usage) best = row;
  return best;
}

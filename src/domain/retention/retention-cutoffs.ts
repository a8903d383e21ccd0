export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** How long each kind of row is kept, in days. `null` keeps it forever. */
export interface RetentionWindows {
  /** Usage samples are kept as recorded this long, then reduced to one sample per hour (the hour's max). */
  readonly usageRawDays: number;
  /** Hourly usage samples are deleted after this long (measured from now, like every window). */
  readonly usageHourlyDays: number | null;
  /** Kernel events whose last line is older than this are deleted. */
  readonly kernelEventDays: number;
  /** Closed value intervals that ended before this (and unreferenced snapshots) are deleted. */
  readonly historyDays: number | null;
  /** Webhook deliveries that finished (delivered or failed) before this are deleted. */
  readonly deliveryDays: number;
}

/** Epoch-ms instants: rows strictly before each one are in scope of that rule. */
export interface RetentionCutoffs {
  /** Hour-aligned, so every hour bucket before it is complete and is reduced once. */
  readonly usageDownsampleBefore: number;
  /** Hour-aligned, never after usageDownsampleBefore; null: hourly samples are kept forever. */
  readonly usageDeleteBefore: number | null;
  readonly kernelEventsBefore: number;
  readonly historyBefore: number | null;
  readonly deliveriesBefore: number;
}

/** Start of the hour (UTC) holding `ms`. */
export function hourOf(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** The cutoffs of a retention pass run at `now`. */
export function retentionCutoffs(now: number, windows: RetentionWindows): RetentionCutoffs {
  const usageDownsampleBefore = hourOf(now - windows.usageRawDays * DAY_MS);
  const usageDeleteBefore =
    windows.usageHourlyDays === null
      ? null
      : Math.min(hourOf(now - windows.usageHourlyDays * DAY_MS), usageDownsampleBefore);
  return {
    usageDownsampleBefore,
    usageDeleteBefore,
    kernelEventsBefore: now - windows.kernelEventDays * DAY_MS,
    historyBefore: windows.historyDays === null ? null : now - windows.historyDays * DAY_MS,
    deliveriesBefore: now - windows.deliveryDays * DAY_MS,
  };
}

/**
 * What a netns's own drop counters say about a kernel-log burst: how much each counter grew between the last
 * snapshot reading before the burst's first line and the first one after its last line. The kernel prints at
 * most `net.core.message_burst` lines per window for every net-limited message on the host together, so the
 * printed lines say little about size; the counters count every occurrence in that netns, printed or not.
 * The bracket may hold more than the burst (other drops between the two readings): `from` and `to` say so.
 */
export interface BurstMagnitude {
  /** Epoch ms of the snapshot reading before the first line. */
  readonly from: number;
  /** Epoch ms of the first snapshot reading at or after the last line. */
  readonly to: number;
  /** Increase of each counter metric over (from, to]. */
  readonly counters: Readonly<Record<string, number>>;
}

/** One counter of one netns at two readings (cumulative values since the netns was created). */
export interface CounterBracket {
  readonly metric: string;
  readonly before: number;
  readonly after: number;
}

/**
 * The magnitude from the counters read at `from` and `to`; null when no counter was read at both, or any went
 * down (a reset: not the same netns, or its counters were zeroed), since then no increase can be stated.
 */
export function burstMagnitude(
  from: number,
  to: number,
  brackets: readonly CounterBracket[],
): BurstMagnitude | null {
  if (brackets.length === 0 || to < from) return null;
  const counters: Record<string, number> = {};
  for (const { metric, before, after } of brackets) {
    if (after < before) return null;
    counters[metric] = after - before;
  }
  return { from, to, counters };
}

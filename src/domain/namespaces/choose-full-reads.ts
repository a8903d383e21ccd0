/**
 * Which namespace sets have every key read this snapshot (a "full read"); the others get a usage-only read (their
 * usage from /proc/PID/net and the like, their limits from their last known values, no `nsenter` helper).
 *
 * - The host is always read in full.
 * - A set never read in full before (`lastFullReadAt` null: new, or every earlier read failed) is read in full at
 *   once, whatever the budget, and so is a set a kernel event named since the last snapshot (`named`: e.g.
 *   "nf_conntrack: table full" in its netns), so an incident's report finds its settings fresh; both spend budget
 *   like any other.
 * - The rest of the budget goes to the sets whose last full read is oldest (round-robin by last full read), ties
 *   by identity, so with S such sets and a budget B each is read in full at least every ceil(S / B) snapshots.
 * - A budget of 0 means unlimited: every set is read in full.
 */
export interface FullReadCandidate {
  readonly identity: string;
  /** When the set's keys were last all read (epoch ms); null when never. */
  readonly lastFullReadAt: number | null;
  /** A kernel event named the set (its netns) since the last snapshot. */
  readonly named?: boolean;
}

export function chooseFullReads(
  candidates: readonly FullReadCandidate[],
  budget: number,
): ReadonlySet<string> {
  const chosen = new Set<string>();
  const due: FullReadCandidate[] = [];
  let spent = 0;
  for (const c of candidates) {
    if (c.identity === 'host' || budget <= 0) chosen.add(c.identity);
    else if (c.lastFullReadAt === null || c.named === true) {
      chosen.add(c.identity);
      spent += 1;
    } else due.push(c);
  }
  if (budget <= 0) return chosen;
  const left = Math.max(0, budget - spent);
  due.sort(
    (a, b) =>
      (a.lastFullReadAt ?? 0) - (b.lastFullReadAt ?? 0) ||
      (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0),
  );
  for (const c of due.slice(0, left)) chosen.add(c.identity);
  return chosen;
}

/** Snapshots between two full reads of a set at most, with `sets` non-host sets and `budget` (0: unlimited). */
export function fullReadPeriod(sets: number, budget: number): number {
  return budget <= 0 || sets <= budget ? 1 : Math.ceil(sets / budget);
}

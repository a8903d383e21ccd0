import type { Evidence } from './evidence-types.js';

/**
 * One piece of timed evidence with the span in which it happened: a change in (from, to] (after the set's
 * previous reading, at or before the reading that saw it, or a kernel line that proves it), a kernel-log burst
 * in [from, to] (first to last line), a usage sample at from = to.
 */
export interface TimelineEntry {
  /** Earliest instant; null when not known (a change in a set never read before). */
  readonly from: number | null;
  /** True for changes: it happened strictly after `from`. */
  readonly fromExclusive: boolean;
  /** Latest instant. */
  readonly to: number;
  /**
   * Entries of one step cannot be ordered among themselves (their spans overlap); every entry of a step happened
   * before every entry of a later step. Listing order inside a step is no claim.
   */
  readonly step: number;
  readonly kind: Evidence['kind'];
  readonly key: string;
  readonly namespace: string | null;
  readonly summary: string;
}

type Unstepped = Omit<TimelineEntry, 'step'>;

/**
 * Everything with a time, in the order that can be known (baseline drift and declared mismatches have none).
 * A "table full" line inside the interval of the change of nf_conntrack_max that caused it shares its step:
 * the agent cannot tell whether the line came before or after the change.
 */
export function buildTimeline(evidence: readonly Evidence[]): TimelineEntry[] {
  const entries: Unstepped[] = [];
  for (const item of evidence) {
    if (item.kind === 'changed') {
      const after = item.changedAfter === undefined ? item.at : item.changedAfter;
      entries.push({
        from: after,
        fromExclusive: item.changedAfter !== undefined,
        to: item.changedBy ?? item.at,
        kind: item.kind,
        key: item.key,
        namespace: item.namespace,
        summary: `${item.before ?? '∅'} → ${item.after ?? '∅'}`,
      });
    } else if (item.kind === 'saturated') {
      entries.push({
        from: item.at,
        fromExclusive: false,
        to: item.at,
        kind: item.kind,
        key: item.key,
        namespace: item.namespace,
        summary: `${item.metric} ${item.usage}/${item.limit}`,
      });
    } else if (item.kind === 'overflowed') {
      // The counter rose after the reading at `from` and by the reading at `at`.
      entries.push({
        from: item.from,
        fromExclusive: true,
        to: item.at,
        kind: item.kind,
        key: item.key,
        namespace: item.namespace,
        summary: `${item.metric} +${item.increase} since ${new Date(item.from).toISOString()}`,
      });
    } else if (item.kind === 'kernel-event') {
      entries.push({
        from: item.firstAt,
        fromExclusive: false,
        to: item.lastAt,
        kind: item.kind,
        key: item.key,
        namespace: item.namespace,
        summary: `${item.signature} ×${item.count} until ${new Date(item.lastAt).toISOString()}`,
      });
    }
  }
  const start = (e: Unstepped): number => e.from ?? Number.NEGATIVE_INFINITY;
  entries.sort((a, b) => start(a) - start(b) || a.to - b.to || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const stepped: TimelineEntry[] = [];
  let step = 0;
  let latest = Number.NEGATIVE_INFINITY;
  for (const entry of entries) {
    const begins = start(entry);
    const after = begins > latest || (begins === latest && entry.fromExclusive);
    if (stepped.length > 0 && after) step += 1;
    latest = Math.max(latest, entry.to);
    stepped.push({ ...entry, step });
  }
  return stepped;
}

import type { Evidence } from './evidence-types.js';

export interface TimelineEntry {
  readonly at: number;
  readonly kind: Evidence['kind'];
  readonly key: string;
  readonly namespace: string | null;
  readonly summary: string;
}

/** Everything with a time in the window, in order (baseline drift and declared mismatches have none). */
export function buildTimeline(evidence: readonly Evidence[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const item of evidence) {
    if (item.kind === 'changed') {
      entries.push({
        at: item.at,
        kind: item.kind,
        key: item.key,
        namespace: item.namespace,
        summary: `${item.before ?? '∅'} → ${item.after ?? '∅'}`,
      });
    } else if (item.kind === 'saturated') {
      entries.push({
        at: item.at,
        kind: item.kind,
        key: item.key,
        namespace: item.namespace,
        summary: `${item.metric} ${item.usage}/${item.limit}`,
      });
    } else if (item.kind === 'overflowed') {
      entries.push({
        at: item.at,
        kind: item.kind,
        key: item.key,
        namespace: item.namespace,
        summary: `${item.metric} +${item.increase} since ${new Date(item.from).toISOString()}`,
      });
    } else if (item.kind === 'kernel-event') {
      entries.push({
        at: item.firstAt,
        kind: item.kind,
        key: item.key,
        namespace: item.namespace,
        summary: `${item.signature} ×${item.count} until ${new Date(item.lastAt).toISOString()}`,
      });
    }
  }
  return entries.sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : 1));
}

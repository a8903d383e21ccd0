import { scoreConfigDrift } from './config-drift-evidence.js';
import { isLimitKey } from '../limits/usage-pairs.js';
import { limitMetric } from '../limits/limit-metrics.js';
import type { ChangeEvidence, Evidence, IncidentContext, KeyFacts } from './evidence-types.js';
import { compareRoom, limitKeyInfo } from './limit-keys.js';

export { numbersOf } from './numbers-of.js';

/**
 * How a piece of evidence relates to the incident (README "How to read an incident report"):
 * - `own`: seen in the incident's set, on the host for a host-wide measure, or the incident is host-wide;
 * - `co-consumer`: another set running into the same host-wide limit (named in the explanation, 3 points);
 * - `unrelated`: another set's namespaced key: it cannot touch the incident's set (dropped).
 */
export type Relevance = 'own' | 'co-consumer' | 'unrelated';

export const CO_CONSUMER_POINTS = 3;

export function relevanceOf(item: Evidence, facts: KeyFacts, context: IncidentContext): Relevance {
  if (context.namespace === null) return 'own';
  if (
    item.kind === 'baseline-drift' ||
    item.kind === 'declared-mismatch' ||
    item.kind === 'changed' ||
    item.kind === 'config-drift'
  )
    return 'own'; // the evidence query already limits these to the set and the host's global keys (drift: host)
  const namespace = item.namespace;
  if (namespace === null || namespace === context.namespace) return 'own';
  if (facts.scope !== 'global') return 'unrelated';
  if (namespace === 'host' && 'metric' in item && limitMetric(item.metric)?.place === 'host') return 'own';
  return 'co-consumer';
}

/**
 * Points for one piece of evidence that is the incident's own (changes are scored per key by scoreChanges):
 * - kernel-event naming the key: 50, +10 × log10(count + 1), +10 when logged for the incident's set;
 * - saturated: ratio ≥ 1 → 45, ≥ 0.95 → 35, ≥ 0.8 → 20; +5 in the incident's set;
 * - overflowed (a failure counter rose): min(45, 20 + 10 × log10(increase + 1)); +5 in the incident's set;
 * - own-value: 30 when the set's value gives less room than the host's, a fresh namespace's or the
 *   baseline's, else 10;
 * - declared-mismatch: 15;
 * - baseline-drift: a limit key with less room here 12, other limit keys 4, other global keys 6, the rest 3;
 *   doubled when other evidence touches the key (`touched`);
 * - config-drift: see scoreConfigDrift.
 */
export function scoreEvidence(
  evidence: Evidence,
  context: IncidentContext,
  facts: KeyFacts = { scope: 'global', childVisibility: null },
  touched = false,
): number {
  const inScope = (namespace: string | null): boolean =>
    context.namespace !== null && namespace === context.namespace;
  switch (evidence.kind) {
    case 'kernel-event':
      return 50 + 10 * Math.log10(evidence.count + 1) + (inScope(evidence.namespace) ? 10 : 0);
    case 'saturated': {
      const base = evidence.ratio >= 1 ? 45 : evidence.ratio >= 0.95 ? 35 : evidence.ratio >= 0.8 ? 20 : 0;
      return base + (base > 0 && inScope(evidence.namespace) ? 5 : 0);
    }
    case 'overflowed':
      if (evidence.increase <= 0) return 0;
      return (
        Math.min(45, 20 + 10 * Math.log10(evidence.increase + 1)) + (inScope(evidence.namespace) ? 5 : 0)
      );
    case 'own-value': {
      const references = [evidence.host, evidence.fresh, evidence.there ?? null];
      return references.some((r) => compareRoom(evidence.key, evidence.value, r) < 0) ? 30 : 10;
    }
    case 'changed':
      return 0; // scored per key and set by scoreChanges
    case 'declared-mismatch':
      return 15;
    case 'baseline-drift':
      return (touched ? 2 : 1) * driftPoints(evidence.key, facts, evidence.here, evidence.there);
    case 'config-drift':
      return scoreConfigDrift(evidence);
  }
}

function driftPoints(key: string, facts: KeyFacts, here: string | null, there: string | null): number {
  if (limitKeyInfo(key) || isLimitKey(key)) return compareRoom(key, here, there) < 0 ? 12 : 4;
  return facts.scope === 'global' ? 6 : 3;
}

/**
 * The changes of one key in one set, as a story rather than a count:
 * - before the start: 25 once when the value in force at the start differs from the one before the first
 *   change, +10 when it gives less room on a known limit key (limit-keys.ts); 5 when it was changed back
 *   before the start (made and reverted: weak);
 * - after the start: a revert to the value before the first change is remediation, −10; changes that end
 *   where they began score 3; otherwise 10, +5 for less room.
 */
export function scoreChanges(changes: readonly ChangeEvidence[], context: IncidentContext): number {
  if (changes.length === 0) return 0;
  // Usually one change, or several already in order: no copy then.
  const ordered = inOrder(changes) ? changes : [...changes].sort((a, b) => a.at - b.at);
  const key = ordered[0]?.key ?? '';
  const original = ordered[0]?.before ?? null;
  let pre = 0;
  let atStart = original;
  for (const change of ordered) {
    if (change.at > context.startedAt) continue;
    pre++;
    atStart = change.after ?? null;
  }
  const post = ordered.length - pre;
  const atEnd = ordered[ordered.length - 1]?.after ?? null;
  return scoreChangeStory(key, { original, atStart, atEnd, pre, post });
}

/** The changes of one key in one set, in order, reduced to what scoreChanges weighs. */
export interface ChangeStory {
  /** The value before the first change. */
  readonly original: string | null;
  /** The value in force at the incident's start (`original` when no change came before it). */
  readonly atStart: string | null;
  /** The value after the last change. */
  readonly atEnd: string | null;
  /** How many changes came at or before the start, and after it. */
  readonly pre: number;
  readonly post: number;
}

/** scoreChanges on a story (score-change-rows.ts builds one per key and set without the change objects). */
export function scoreChangeStory(key: string, story: ChangeStory): number {
  const { original, atStart, atEnd, pre, post } = story;
  let score = 0;
  if (pre > 0) score += atStart === original ? 5 : 25 + (compareRoom(key, atStart, original) < 0 ? 10 : 0);
  if (post > 0) {
    if (pre > 0 && atStart !== original && atEnd === original) score -= 10;
    else if (atEnd === atStart) score += 3;
    else score += 10 + (compareRoom(key, atEnd, atStart) < 0 ? 5 : 0);
  }
  return score;
}

function inOrder(changes: readonly ChangeEvidence[]): boolean {
  for (let i = 1; i < changes.length; i++)
    if ((changes[i]?.at ?? 0) < (changes[i - 1]?.at ?? 0)) return false;
  return true;
}

export const UNCHANGEABLE_IN_CONTAINER_FACTOR = 1.25;

export function keyFactor(facts: KeyFacts, context: IncidentContext): number {
  return context.containerScoped && facts.scope === 'global' ? UNCHANGEABLE_IN_CONTAINER_FACTOR : 1;
}

import type {
  ChangeEvidence,
  Evidence,
  IncidentContext,
  KeyFacts,
  KeyValues,
  Suspect,
} from './evidence-types.js';
import { explainSuspect } from './explain-suspect.js';
import { canonicalKey, hasAliases } from './limit-keys.js';
import { CO_CONSUMER_POINTS, keyFactor, relevanceOf, scoreChanges, scoreEvidence } from './score-evidence.js';

const EVIDENCE_ORDER = [
  'kernel-event',
  'overflowed',
  'saturated',
  'own-value',
  'changed',
  'declared-mismatch',
  'config-drift',
  'baseline-drift',
] as const;

/** Co-consumers add at most this many points to a key, however many sets share the limit. */
const CO_CONSUMER_CAP = 3 * CO_CONSUMER_POINTS;

const UNKNOWN_KEY: KeyFacts = { scope: 'global', childVisibility: null };

/**
 * Groups evidence by key and ranks the keys: a deterministic list (score, then key name) in which each
 * suspect carries its evidence and a one-sentence explanation. Keys the catalog does not know are ranked
 * as global settings.
 */
export function rankSuspects(
  evidence: readonly Evidence[],
  facts: ReadonlyMap<string, KeyFacts>,
  context: IncidentContext,
  values: ReadonlyMap<string, KeyValues> = new Map(),
): Suspect[] {
  return rankTopSuspects(evidence, facts, context, Number.POSITIVE_INFINITY, values).suspects;
}

/** A key with evidence, scored and not yet explained (scoreSuspects). */
export interface ScoredSuspect {
  readonly key: string;
  readonly keyFacts: KeyFacts;
  readonly own: Evidence[];
  readonly others: Evidence[];
  readonly score: number;
}

/**
 * The first `top` suspects of rankSuspects, and how many there are in all: every key is scored and sorted,
 * only the ones returned are explained (a wide window can implicate hundreds of keys).
 */
export function rankTopSuspects(
  evidence: readonly Evidence[],
  facts: ReadonlyMap<string, KeyFacts>,
  context: IncidentContext,
  top: number,
  values: ReadonlyMap<string, KeyValues> = new Map(),
): { suspects: Suspect[]; total: number } {
  const scored = scoreSuspects(evidence, facts, context);
  return { suspects: explainSuspects(scored.slice(0, top), context, values), total: scored.length };
}

/**
 * Every key with evidence that scores above zero, highest first (then by key name). Aliases of one kernel
 * variable are one key; another set's evidence on a namespaced key is dropped; another set's on a global
 * limit names a co-consumer. Scores do not depend on the values in force: a caller can read those for the
 * first few keys only, then explain those (explainSuspects).
 */
export function scoreSuspects(
  evidence: readonly Evidence[],
  facts: ReadonlyMap<string, KeyFacts>,
  context: IncidentContext,
): ScoredSuspect[] {
  const byKey = groupByKey(evidence);
  const scored: ScoredSuspect[] = [];
  for (const [key, items] of byKey) {
    const keyFacts = facts.get(key) ?? UNKNOWN_KEY;
    const own: Evidence[] = [];
    const others: Evidence[] = [];
    for (const item of items) {
      const relevance = relevanceOf(item, keyFacts, context);
      if (relevance === 'own') own.push(item);
      else if (relevance === 'co-consumer') others.push(item);
    }
    if (own.length === 0) continue;
    const raw =
      scoreOwn(own, keyFacts, context) + Math.min(CO_CONSUMER_CAP, others.length * CO_CONSUMER_POINTS);
    const score = Math.round(raw * keyFactor(keyFacts, context) * 10) / 10;
    if (score > 0) scored.push({ key, keyFacts, own, others, score });
  }
  return scored.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Scored suspects with their evidence in order and a one-sentence explanation each. */
export function explainSuspects(
  scored: readonly ScoredSuspect[],
  context: IncidentContext,
  values: ReadonlyMap<string, KeyValues> = new Map(),
): Suspect[] {
  return scored.map(({ key, keyFacts, own, others, score }) => ({
    key,
    scope: keyFacts.scope,
    childVisibility: keyFacts.childVisibility,
    kinds: EVIDENCE_ORDER.filter((kind) => own.some((i) => i.kind === kind)),
    score,
    evidence: [...own, ...others],
    explanation: explainSuspect(key, keyFacts, own, {
      coConsumers: others,
      values: values.get(key),
      context,
    }),
  }));
}

/**
 * Evidence by canonical key; the same change seen under two aliases is kept once (only a key with aliases
 * can see one change twice: a window of a whole host has thousands of changes, and an id for each was most
 * of this function's time and garbage).
 */
function groupByKey(evidence: readonly Evidence[]): Map<string, Evidence[]> {
  const byKey = new Map<string, Evidence[]>();
  const seenChanges = new Set<string>();
  for (const original of evidence) {
    const key = canonicalKey(original.key);
    const item = key === original.key ? original : { ...original, key };
    if (item.kind === 'changed' && hasAliases(key)) {
      const id = `${item.key}\u0000${item.namespace}\u0000${item.at}\u0000${item.before}\u0000${item.after}`;
      if (seenChanges.has(id)) continue;
      seenChanges.add(id);
    }
    const items = byKey.get(key);
    if (items) items.push(item);
    else byKey.set(key, [item]);
  }
  return byKey;
}

function scoreOwn(own: readonly Evidence[], keyFacts: KeyFacts, context: IncidentContext): number {
  const touched = own.some((i) => i.kind !== 'baseline-drift');
  let sum = 0;
  const changesBySet = new Map<string, ChangeEvidence[]>();
  for (const item of own) {
    if (item.kind === 'changed') {
      const list = changesBySet.get(item.namespace);
      if (list) list.push(item);
      else changesBySet.set(item.namespace, [item]);
    } else {
      sum += scoreEvidence(item, context, keyFacts, touched);
    }
  }
  for (const changes of changesBySet.values()) sum += scoreChanges(changes, context);
  return sum;
}

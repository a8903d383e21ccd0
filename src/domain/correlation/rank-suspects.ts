import type {
  ChangeEvidence,
  Evidence,
  IncidentContext,
  KeyFacts,
  KeyValues,
  Suspect,
} from './evidence-types.js';
import { explainSuspect } from './explain-suspect.js';
import { changeRowsOf } from './change-rows.js';
import { canonicalKey } from './limit-keys.js';
import { changeEvidenceOf, scoreChangeRows, type ScoredChanges } from './score-change-rows.js';
import { CO_CONSUMER_POINTS, keyFactor, relevanceOf, scoreEvidence } from './score-evidence.js';

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

/**
 * A key with evidence, scored and not yet explained (scoreSuspects). `own` holds its changes only once
 * withChangeEvidence has added them (before the rest, as a report lists them).
 */
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
  const changes = scoreChangeRows(
    changeRowsOf(evidence.filter((e): e is ChangeEvidence => e.kind === 'changed')),
    context.startedAt,
  );
  const scored = scoreSuspects(
    evidence.filter((e) => e.kind !== 'changed'),
    facts,
    context,
    changes,
  );
  const returned = withChangeEvidence(scored.slice(0, top), changes);
  return { suspects: explainSuspects(returned, context, values), total: scored.length };
}

/**
 * Every key with evidence that scores above zero, highest first (then by key name). Aliases of one kernel
 * variable are one key; another set's evidence on a namespaced key is dropped; another set's on a global
 * limit names a co-consumer. Changes come as rows already scored per key and set (scoreChangeRows), and are
 * not in the suspects' `own` (withChangeEvidence adds them to the ones a report returns). Scores do not
 * depend on the values in force: a caller can read those for the first few keys only, then explain those
 * (explainSuspects).
 */
export function scoreSuspects(
  evidence: readonly Evidence[],
  facts: ReadonlyMap<string, KeyFacts>,
  context: IncidentContext,
  changes?: ScoredChanges,
): ScoredSuspect[] {
  const byKey = groupByKey(evidence);
  const setScores = changes?.setScores ?? new Map<string, readonly number[]>();
  for (const key of setScores.keys()) if (!byKey.has(key)) byKey.set(key, []);
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
    const changeScores = setScores.get(key) ?? [];
    if (own.length === 0 && changeScores.length === 0) continue;
    const raw =
      scoreOwn(own, changeScores, keyFacts, context) +
      Math.min(CO_CONSUMER_CAP, others.length * CO_CONSUMER_POINTS);
    const score = Math.round(raw * keyFactor(keyFacts, context) * 10) / 10;
    if (score > 0) scored.push({ key, keyFacts, own, others, score });
  }
  return scored.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The suspects with their changes first in `own` (row order), as evidence objects built for these keys only;
 * `prepare` sees them before they are renamed to the suspect's key (tightenChangeIntervals).
 */
export function withChangeEvidence(
  scored: readonly ScoredSuspect[],
  changes: ScoredChanges,
  prepare?: (changes: readonly ChangeEvidence[]) => readonly ChangeEvidence[],
): ScoredSuspect[] {
  const byKey = changeEvidenceOf(changes, new Set(scored.map((s) => s.key)), prepare);
  return scored.map((s) => {
    const own = byKey.get(s.key);
    return own ? { ...s, own: [...own, ...s.own] } : s;
  });
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

/** Evidence by canonical key (changes are rows: scoreChangeRows). */
function groupByKey(evidence: readonly Evidence[]): Map<string, Evidence[]> {
  const byKey = new Map<string, Evidence[]>();
  for (const original of evidence) {
    const key = canonicalKey(original.key);
    const item = key === original.key ? original : { ...original, key };
    const items = byKey.get(key);
    if (items) items.push(item);
    else byKey.set(key, [item]);
  }
  return byKey;
}

/**
 * The points of a key's own evidence: each piece's, in order, then each set's changes' (`changeScores`, in the
 * order the sets first appear) — the order of the sum is kept so scores stay the same to the last bit.
 */
function scoreOwn(
  own: readonly Evidence[],
  changeScores: readonly number[],
  keyFacts: KeyFacts,
  context: IncidentContext,
): number {
  const touched = changeScores.length > 0 || own.some((i) => i.kind !== 'baseline-drift');
  let sum = 0;
  for (const item of own) sum += scoreEvidence(item, context, keyFacts, touched);
  for (const points of changeScores) sum += points;
  return sum;
}

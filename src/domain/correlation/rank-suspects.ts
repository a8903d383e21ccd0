import type { Evidence, IncidentContext, KeyFacts, Suspect } from './evidence-types.js';
import { explainSuspect } from './explain-suspect.js';
import { keyFactor, scoreEvidence } from './score-evidence.js';

const EVIDENCE_ORDER = [
  'kernel-event',
  'saturated',
  'changed',
  'declared-mismatch',
  'config-drift',
  'baseline-drift',
] as const;

/**
 * Groups evidence by key and ranks the keys: a deterministic list (score, then key name) in which each
 * suspect carries its evidence and a one-sentence explanation. Keys the catalog does not know are ranked
 * as global settings.
 */
export function rankSuspects(
  evidence: readonly Evidence[],
  facts: ReadonlyMap<string, KeyFacts>,
  context: IncidentContext,
): Suspect[] {
  return rankTopSuspects(evidence, facts, context, Number.POSITIVE_INFINITY).suspects;
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
): { suspects: Suspect[]; total: number } {
  const byKey = new Map<string, Evidence[]>();
  for (const item of evidence) {
    const items = byKey.get(item.key);
    if (items) items.push(item);
    else byKey.set(item.key, [item]);
  }
  const scored: { key: string; keyFacts: KeyFacts; items: Evidence[]; score: number }[] = [];
  for (const [key, items] of byKey) {
    const keyFacts = facts.get(key) ?? { scope: 'global', childVisibility: null };
    const raw = items.reduce((sum, item) => sum + scoreEvidence(item, context), 0);
    const score = Math.round(raw * keyFactor(keyFacts, context) * 10) / 10;
    if (score > 0) scored.push({ key, keyFacts, items, score });
  }
  scored.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const suspects = scored.slice(0, top).map(({ key, keyFacts, items, score }) => ({
    key,
    scope: keyFacts.scope,
    childVisibility: keyFacts.childVisibility,
    kinds: EVIDENCE_ORDER.filter((kind) => items.some((i) => i.kind === kind)),
    score,
    evidence: items,
    explanation: explainSuspect(key, keyFacts, items),
  }));
  return { suspects, total: scored.length };
}

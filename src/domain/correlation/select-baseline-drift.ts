import type { BaselineDifference } from '../baselines/diff-against-baseline.js';
import { isLimitKey } from '../limits/usage-pairs.js';
import type { BaselineDriftEvidence } from './evidence-types.js';
import { canonicalKey, limitKeyInfo } from './limit-keys.js';

/**
 * The baseline differences that count as evidence: every global key both hosts have, every limit-like key (limit-keys.ts, or
 * the limit side of a usage pair) and every key that already carries other evidence. Two hosts differ in
 * hundreds of harmless namespaced keys; those stay in /diff/baseline. Scoring weighs them by class.
 */
export function selectBaselineDrift(
  entries: readonly BaselineDifference[],
  baseline: string,
  other: readonly { readonly key: string }[],
): BaselineDriftEvidence[] {
  const implicated = new Set(other.map((e) => canonicalKey(e.key)));
  return entries
    .filter(
      (entry) =>
        (entry.scope === 'global' && entry.kind === 'changed') ||
        limitKeyInfo(entry.key) !== undefined ||
        isLimitKey(entry.key) ||
        implicated.has(canonicalKey(entry.key)),
    )
    .map((entry) => ({
      kind: 'baseline-drift',
      key: entry.key,
      baseline,
      here: entry.here,
      there: entry.baseline,
    }));
}

/** The baseline's value of each key that differs from this host (the others equal the host's). */
export function baselineValues(entries: readonly BaselineDifference[]): Map<string, string | null> {
  return new Map(entries.map((entry) => [entry.key, entry.baseline]));
}

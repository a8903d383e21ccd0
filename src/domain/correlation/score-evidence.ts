import { scoreConfigDrift } from './config-drift-evidence.js';
import type { Evidence, IncidentContext, KeyFacts } from './evidence-types.js';

/**
 * Points per piece of evidence (README "How to read an incident report" documents the same table):
 * - kernel-event naming the key: 50, +10 × log10(count + 1), +10 when logged for the incident's namespace;
 * - saturated: ratio ≥ 1 → 45, ≥ 0.95 → 35, ≥ 0.8 → 20; +5 in the incident's namespace;
 * - changed inside the window or the lookback: 25, +10 when a numeric limit went down;
 * - declared-mismatch: 15;  baseline-drift: 10;  config-drift: see scoreConfigDrift.
 * A key's score is the sum over its evidence, times 1.25 for a setting a container cannot change itself
 * (global or mirrored) when the incident is scoped to a container, so it ranks above equal evidence on a
 * namespaced key. Rounded to one decimal.
 */
export function scoreEvidence(evidence: Evidence, context: IncidentContext): number {
  const inScope = (namespace: string | null): boolean =>
    context.namespace !== null && namespace === context.namespace;
  switch (evidence.kind) {
    case 'kernel-event':
      return 50 + 10 * Math.log10(evidence.count + 1) + (inScope(evidence.namespace) ? 10 : 0);
    case 'saturated': {
      const base = evidence.ratio >= 1 ? 45 : evidence.ratio >= 0.95 ? 35 : evidence.ratio >= 0.8 ? 20 : 0;
      return base + (base > 0 && inScope(evidence.namespace) ? 5 : 0);
    }
    case 'changed':
      return 25 + (wentDown(evidence.before, evidence.after) ? 10 : 0);
    case 'declared-mismatch':
      return 15;
    case 'baseline-drift':
      return 10;
    case 'config-drift':
      return scoreConfigDrift(evidence);
  }
}

export const UNCHANGEABLE_IN_CONTAINER_FACTOR = 1.25;

export function keyFactor(facts: KeyFacts, context: IncidentContext): number {
  return context.containerScoped && facts.scope === 'global' ? UNCHANGEABLE_IN_CONTAINER_FACTOR : 1;
}

function wentDown(before: string | null, after: string | null): boolean {
  if (before === null || after === null) return false;
  const b = numbersOf(before);
  const a = numbersOf(after);
  if (a === null || b === null || a.length !== b.length) return false;
  let lower = false;
  for (let i = 0; i < a.length; i++) {
    const was = b[i] ?? Number.NaN;
    const is = a[i] ?? Number.NaN;
    if (is > was) return false;
    if (is < was) lower = true;
  }
  return lower;
}

/**
 * The whitespace-separated numbers of a value ("65536", "32768\t60999"), or null when it is empty or any
 * part is not a number. A report scores every change in its window, so the one-number case costs no regex.
 */
export function numbersOf(value: string): number[] | null {
  const single = Number(value);
  if (!Number.isNaN(single)) return value.trim() === '' ? null : [single];
  const numbers = value.trim().split(/\s+/).map(Number);
  return numbers.some(Number.isNaN) ? null : numbers;
}

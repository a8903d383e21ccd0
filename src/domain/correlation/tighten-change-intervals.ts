import { valueStatedBy } from '../kernel-events/kernel-signatures.js';
import type { ChangeEvidence, KernelEventEvidence } from './evidence-types.js';

/**
 * Narrows the interval (changedAfter, changedBy] of each change with the kernel lines that prove a value of its
 * key at an instant (KernelSignature.statesValue; a burst's sample line is its first, printed at `firstAt`): the new
 * value stated at T inside the interval means the change had happened by T; the old value stated at T means it
 * happened after T. A line that merely fits the change (a "table full" after a lowered nf_conntrack_max) proves
 * neither, so it leaves the interval alone. Lines naming another namespace set do not count.
 */
export function tightenChangeIntervals(
  changes: readonly ChangeEvidence[],
  events: readonly KernelEventEvidence[],
): ChangeEvidence[] {
  const proofs = events.flatMap((e) => {
    const value = valueStatedBy(e.signature, e.sampleLine);
    return value === undefined ? [] : [{ key: e.key, namespace: e.namespace, at: e.firstAt, value }];
  });
  if (proofs.length === 0) return [...changes];
  return changes.map((change) => {
    if (change.changedAfter === undefined) return change;
    let after = change.changedAfter;
    let by = change.changedBy ?? change.at;
    const relevant = proofs
      .filter((p) => p.key === change.key && (p.namespace === null || p.namespace === change.namespace))
      .sort((a, b) => a.at - b.at);
    for (const proof of relevant) {
      const inside = (after === null || proof.at > after) && proof.at <= by;
      if (!inside) continue;
      if (proof.value === change.after?.trim()) by = proof.at;
      else if (proof.value === change.before?.trim() && proof.at < by) after = proof.at;
    }
    return after === change.changedAfter && by === (change.changedBy ?? change.at)
      ? change
      : { ...change, changedAfter: after, changedBy: by };
  });
}

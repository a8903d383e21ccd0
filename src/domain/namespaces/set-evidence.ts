import type { DiscoveredOwner, NamespaceInodes } from './namespace-types.js';
import { namespaceIdentity } from './namespace-types.js';

/** Process tokens kept per set: the lowest pids, enough for one of them to outlive the next interval. */
export const PROCESS_EVIDENCE_LIMIT = 8;

/**
 * The evidence of each set (by inode identity) that survives inode reuse: every container id, every named
 * netns bind mount, and the lowest pids with their start times. The kernel frees a namespace only when
 * nothing holds it, so an owner seen in it before and still in it now proves the namespace was never freed.
 */
export function setEvidence(
  host: NamespaceInodes,
  discovered: readonly DiscoveredOwner[],
): Map<string, string[]> {
  const byIdentity = new Map<string, DiscoveredOwner[]>();
  for (const item of discovered) {
    const identity = namespaceIdentity(item.inodes, host);
    byIdentity.set(identity, [...(byIdentity.get(identity) ?? []), item]);
  }
  const result = new Map<string, string[]>();
  for (const [identity, owners] of byIdentity) {
    const named = owners.filter((o) => o.owner.kind !== 'process' && o.evidence);
    const processes = owners
      .filter((o) => o.owner.kind === 'process' && o.evidence)
      .sort((a, b) => pidOf(a) - pidOf(b))
      .slice(0, PROCESS_EVIDENCE_LIMIT);
    result.set(identity, [...new Set([...named, ...processes].map((o) => o.evidence ?? ''))].sort());
  }
  return result;
}

/**
 * Whether a set seen before (`before`, its evidence then) and a set seen now with the same inode numbers are
 * one lifetime: some owner is in both. Nothing recorded (a set stored before evidence existed) or nothing to
 * compare on either side proves nothing against it, so it continues.
 */
export function provesContinuity(before: readonly string[] | null, now: readonly string[]): boolean {
  if (before === null || before.length === 0 || now.length === 0) return true;
  const seen = new Set(before);
  return now.some((token) => seen.has(token));
}

function pidOf(item: DiscoveredOwner): number {
  return item.owner.kind === 'process' ? item.owner.pid : Number.MAX_SAFE_INTEGER;
}

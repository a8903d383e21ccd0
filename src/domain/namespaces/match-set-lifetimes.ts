import type { DiscoveredOwner, NamespaceSet } from './namespace-types.js';
import { provesContinuity } from './set-evidence.js';

/** A set the last snapshot saw alive, as stored. */
export interface LivingSet {
  /** Its stored identity: the inode identity, with `~<n>` for the n-th lifetime of the same numbers. */
  readonly identity: string;
  /** Its evidence as last seen; null for a set stored before evidence was recorded. */
  readonly evidence: readonly string[] | null;
  readonly lastSeenAt: number;
}

export interface MatchedSet {
  readonly set: NamespaceSet;
  readonly evidence: readonly string[];
  /** The living set this one continues (its identity), or null when it starts a new lifetime. */
  readonly continues: string | null;
  /** A living set with the same inode numbers that this one does not continue: it ended before this began. */
  readonly replaces: LivingSet | null;
  /** The best known start of a new lifetime (never before the replaced set was last seen, never after now). */
  readonly startedAt: number;
}

/** `net:1/ipc:2/uts:3~2` → `net:1/ipc:2/uts:3`. */
export function inodeIdentityOf(identity: string): string {
  return identity.replace(/~\d+$/, '');
}

/** The identity of the `ordinal`-th lifetime (1-based) of the same inode numbers. */
export function lifetimeIdentity(inodeIdentity: string, ordinal: number): string {
  return ordinal <= 1 ? inodeIdentity : `${inodeIdentity}~${ordinal}`;
}

/**
 * Decides, for every set found now (identified by inode numbers), whether it continues a living set with the
 * same numbers or starts a new lifetime: the kernel reuses a freed namespace's inode number at once, so the
 * numbers alone never prove sameness (DESIGN.md "Identity has a lifetime"). The host always continues.
 * A new lifetime started when its containers started, if that is known and after the replaced set was last
 * seen; else at `now`, the first time it was seen.
 */
export function matchSetLifetimes(
  sets: readonly NamespaceSet[],
  evidence: ReadonlyMap<string, readonly string[]>,
  discovered: readonly DiscoveredOwner[],
  living: readonly LivingSet[],
  now: number,
): MatchedSet[] {
  const livingByInodes = new Map(living.map((l) => [inodeIdentityOf(l.identity), l]));
  return sets.map((set) => {
    const tokens = evidence.get(set.identity) ?? [];
    if (set.identity === 'host') {
      return { set, evidence: tokens, continues: 'host', replaces: null, startedAt: now };
    }
    const previous = livingByInodes.get(set.identity);
    if (previous && provesContinuity(previous.evidence, tokens)) {
      return { set, evidence: tokens, continues: previous.identity, replaces: null, startedAt: now };
    }
    const floor = previous ? previous.lastSeenAt + 1 : 0;
    const started = containerStart(set, discovered);
    const startedAt = started !== null && started >= floor && started <= now ? started : now;
    return { set, evidence: tokens, continues: null, replaces: previous ?? null, startedAt };
  });
}

/** The earliest start among the set's containers: the first of them made the namespaces (a pod's pause). */
function containerStart(set: NamespaceSet, discovered: readonly DiscoveredOwner[]): number | null {
  const ids = new Set(set.owners.flatMap((o) => (o.kind === 'container' ? [o.id] : [])));
  const starts = discovered.flatMap((d) =>
    d.owner.kind === 'container' && ids.has(d.owner.id) && d.startedAt !== undefined ? [d.startedAt] : [],
  );
  return starts.length > 0 ? Math.min(...starts) : null;
}

import type { NamespaceSet, Owner } from './namespace-types.js';

/** Who measures the usage of a set's netns, and who else shares it. */
export interface NetnsUsageRole {
  /** True for the one set that measures and stores the netns's usage series. */
  readonly holder: boolean;
  /** The owners of every other set in the same netns (named in that netns's saturation events). */
  readonly sharers: readonly Owner[];
}

const KIND_RANK: Readonly<Record<NamespaceSet['kind'], number>> = {
  host: 3,
  pod: 2, // a pod's sandbox owns the netns its containers join
  container: 2,
  netns: 1,
  process: 0,
};

/**
 * One netns, one usage series: among the sets that share a netns of their own (a container, and a debugging
 * shell that joined its netns with its own UTS namespace), one holds the netns's usage. The holder stays the
 * same while it lives: the set that `heldBefore` says already holds the series, else the highest kind
 * (pod or container, named netns, process), then the lowest PID, then the identity. Sets in the host's netns are not
 * assigned (the host set measures it); a set alone in its netns holds it.
 */
export function assignNetnsUsage(
  sets: readonly NamespaceSet[],
  heldBefore: (identity: string) => boolean,
): Map<string, NetnsUsageRole> {
  const byNetns = new Map<number, NamespaceSet[]>();
  for (const set of sets) {
    const net = set.inodes.net;
    if (set.identity === 'host' || net === null || !set.differingTypes.includes('net')) continue;
    byNetns.set(net, [...(byNetns.get(net) ?? []), set]);
  }
  const roles = new Map<string, NetnsUsageRole>();
  for (const group of byNetns.values()) {
    const [holder] = [...group].sort(
      (a, b) =>
        Number(heldBefore(b.identity)) - Number(heldBefore(a.identity)) ||
        KIND_RANK[b.kind] - KIND_RANK[a.kind] ||
        (a.pid ?? Number.MAX_SAFE_INTEGER) - (b.pid ?? Number.MAX_SAFE_INTEGER) ||
        a.identity.localeCompare(b.identity),
    );
    for (const set of group) {
      roles.set(set.identity, {
        holder: set === holder,
        sharers: group.filter((other) => other !== set).flatMap((other) => other.owners),
      });
    }
  }
  return roles;
}

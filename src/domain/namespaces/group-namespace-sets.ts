import {
  type DiscoveredOwner,
  type NamespaceInodes,
  type NamespaceSet,
  type NamespaceSetKind,
  type NamespaceType,
  NAMESPACE_TYPES,
  namespaceIdentity,
  type Owner,
} from './namespace-types.js';

const KIND_RANK: Readonly<Record<NamespaceSetKind, number>> = {
  host: 4,
  pod: 3,
  container: 2,
  netns: 1,
  process: 0,
};

/**
 * Groups discovered owners into namespace sets by inode identity: containers sharing a netns (pods,
 * `--network container:X`) become one set with several owners; `--network host` containers with their own
 * IPC/UTS differ only there; owners in all of the host's namespaces join the host set. Plain processes are
 * kept only for sets no container or named netns explains (one process per set is enough to enter it).
 * A named netns that is the network namespace of a pod or container with its own IPC/UTS (the `cni-…` netns
 * containerd and CRI-O pin for every pod sandbox) is not a set of its own: it would be read and stored a second
 * time, with exactly the pod's net values. The pod or container names that netns; the pin is not listed (as a
 * process inside a container is not), so the pod's `owner` label stays `namespace/pod`.
 */
export function groupNamespaceSets(
  host: NamespaceInodes,
  hostPid: number,
  discovered: readonly DiscoveredOwner[],
): NamespaceSet[] {
  const sets = new Map<string, { inodes: NamespaceInodes; owners: DiscoveredOwner[] }>();
  for (const item of discovered) {
    const identity = namespaceIdentity(item.inodes, host);
    const entry = sets.get(identity) ?? { inodes: item.inodes, owners: [] };
    entry.owners.push(item);
    sets.set(identity, entry);
  }
  if (!sets.has('host')) sets.set('host', { inodes: host, owners: [] });
  dropPinnedNetns(sets, host);
  const result: NamespaceSet[] = [];
  for (const [identity, { inodes, owners }] of sets) {
    const kept = keepOwners(identity, owners);
    const kind: NamespaceSetKind =
      identity === 'host'
        ? 'host'
        : kept.reduce<NamespaceSetKind>((best, o) => higher(best, o.owner.kind), 'process');
    const differingTypes = NAMESPACE_TYPES.filter((type) => inodes[type] !== host[type]);
    result.push({
      identity,
      kind,
      inodes,
      differingTypes,
      entry: entryFor(differingTypes, [...kept, ...owners.filter((o) => !kept.includes(o)).sort(byPid)]),
      pid: identity === 'host' ? hostPid : firstPid(owners),
      owners: kept.map((o) => o.owner),
    });
  }
  return result.sort((a, b) =>
    a.identity === 'host' ? -1 : b.identity === 'host' ? 1 : a.identity.localeCompare(b.identity),
  );
}

/**
 * Drops a set that differs from the host in net only and is named by named netns alone (no container or pod of
 * its own) when a pod or container set has the same netns: that set reads and names it. Processes in the
 * pinned netns with the host's IPC/UTS go with it (the pod's set already reads every key they could see).
 */
function dropPinnedNetns(
  sets: Map<string, { inodes: NamespaceInodes; owners: DiscoveredOwner[] }>,
  host: NamespaceInodes,
): void {
  const named = (owners: readonly DiscoveredOwner[], kinds: readonly Owner['kind'][]): boolean =>
    owners.some((o) => kinds.includes(o.owner.kind));
  const explainedNetns = new Set<number>();
  for (const [identity, entry] of sets) {
    if (identity !== 'host' && entry.inodes.net !== null && named(entry.owners, ['pod', 'container']))
      explainedNetns.add(entry.inodes.net);
  }
  for (const [identity, entry] of [...sets]) {
    const net = entry.inodes.net;
    const pinnedOnly =
      identity !== 'host' &&
      net !== null &&
      net !== host.net &&
      entry.inodes.ipc === host.ipc &&
      entry.inodes.uts === host.uts &&
      named(entry.owners, ['netns']) &&
      !named(entry.owners, ['pod', 'container']);
    // Another set has the same netns and a pod or container (this one has none, so it is not that set).
    if (pinnedOnly && explainedNetns.has(net)) sets.delete(identity);
  }
}

function keepOwners(identity: string, owners: readonly DiscoveredOwner[]): DiscoveredOwner[] {
  const named = owners.filter((o) => o.owner.kind !== 'process');
  if (identity === 'host' || named.length > 0) return sortOwners(named);
  const lowest = [...owners].sort((a, b) => pidOf(a.owner) - pidOf(b.owner))[0];
  return lowest ? [lowest] : [];
}

function sortOwners(owners: DiscoveredOwner[]): DiscoveredOwner[] {
  return owners.sort(
    (a, b) =>
      KIND_RANK[b.owner.kind] - KIND_RANK[a.owner.kind] || labelOf(a.owner).localeCompare(labelOf(b.owner)),
  );
}

/** Prefer a process's namespace files (they enter all types); a named netns file enters the net type only. */
function entryFor(
  types: readonly NamespaceType[],
  owners: readonly DiscoveredOwner[],
): NamespaceSet['entry'] {
  const entry: Partial<Record<NamespaceType, string>> = {};
  for (const type of types) {
    const withPid = owners.find((o) => o.owner.kind !== 'netns' && o.entry[type]);
    const any = withPid ?? owners.find((o) => o.entry[type]);
    const path = any?.entry[type];
    if (path) entry[type] = path;
  }
  return entry;
}

function firstPid(owners: readonly DiscoveredOwner[]): number | null {
  const pids = owners.map((o) => pidOf(o.owner)).filter((pid) => pid !== Number.MAX_SAFE_INTEGER);
  return pids.length > 0 ? Math.min(...pids) : null;
}

function byPid(a: DiscoveredOwner, b: DiscoveredOwner): number {
  return pidOf(a.owner) - pidOf(b.owner);
}

function higher(a: NamespaceSetKind, b: Owner['kind']): NamespaceSetKind {
  return KIND_RANK[b] > KIND_RANK[a] ? b : a;
}

function pidOf(owner: Owner): number {
  return owner.kind === 'netns' ? Number.MAX_SAFE_INTEGER : owner.pid;
}

function labelOf(owner: Owner): string {
  return owner.kind === 'container' ? owner.name : owner.kind === 'netns' ? owner.name : String(owner.pid);
}

import { NAMESPACED_NON_NET_KEYS, NAMESPACED_NON_NET_SUBTREES } from './builtin-classification.js';

/**
 * The namespace types whose sysctls a helper reads by entering them (KERNEL.md §2.1-2.5): those of a set's
 * identity, and the pid and user namespaces that own `kernel.pid_max` (≥ 6.14), `vm.memfd_noexec`,
 * `kernel.ns_last_pid` and every `user.*` key.
 */
export type EnterableNamespaceType = 'net' | 'ipc' | 'uts' | 'pid' | 'user';
export const ENTERABLE_NAMESPACE_TYPES: readonly EnterableNamespaceType[] = [
  'net',
  'ipc',
  'uts',
  'pid',
  'user',
];

/** Paths relative to `<procRoot>/sys`, `/`-separated: whole directories and single files. */
export interface OwnedPaths {
  readonly subtrees: string[];
  readonly files: string[];
}

/**
 * Every `net.*` key is looked up in the reader's netns (R1), including the per-interface trees whose names
 * nobody can list in advance, so the whole `net` directory is read. The split into isolated, mirrored and
 * absent keys is the classifier's business, not the reader's.
 */
const NET_SUBTREE = 'net';

/** Inverse of keyFromSegments: `kernel.shmmax` → `kernel/shmmax`; a `/` inside a key segment stands for a dot. */
function pathFromKey(key: string): string {
  return key
    .split('.')
    .map((segment) => segment.replaceAll('/', '.'))
    .join('/');
}

function pathsOf(type: EnterableNamespaceType): OwnedPaths {
  if (type === 'net') return { subtrees: [NET_SUBTREE], files: [] };
  const prefixes = NAMESPACED_NON_NET_SUBTREES.filter((s) => s.scope === type).map((s) => s.prefix);
  const subtrees = prefixes.map((prefix) => pathFromKey(prefix.slice(0, -1)));
  const files = NAMESPACED_NON_NET_KEYS[type]
    .filter((key) => !prefixes.some((prefix) => key.startsWith(prefix)))
    .map(pathFromKey);
  return { subtrees, files };
}

/**
 * What a helper that entered the given namespace types must read, relative to `<procRoot>/sys`: the net
 * directory for net; the IPC keys (`kernel/shmmax` …) and the `fs/mqueue` directory for ipc; the six UTS
 * strings for uts. Derived from the built-in table, so a key added there is read without touching this file.
 * Sorted and free of duplicates.
 */
export function pathsOwnedBy(types: readonly EnterableNamespaceType[]): OwnedPaths {
  const subtrees = new Set<string>();
  const files = new Set<string>();
  for (const type of new Set(types)) {
    const owned = pathsOf(type);
    owned.subtrees.forEach((p) => subtrees.add(p));
    owned.files.forEach((p) => files.add(p));
  }
  return { subtrees: [...subtrees].sort(), files: [...files].sort() };
}

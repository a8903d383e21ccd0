import type { Scope } from '../sysctl/sysctl-types.js';

/** A namespaced key with its host value and what a fresh namespace of its type starts with. */
export interface DefaultRow {
  readonly key: string;
  readonly scope: Scope;
  readonly volatile: boolean;
  /** Permission bits in the fresh child namespace. */
  readonly childMode: number;
  readonly host: string | null;
  readonly container: string | null;
}

export interface NotInherited {
  readonly key: string;
  readonly scope: Scope;
  /** The host's value. */
  readonly host: string;
  /** What a new namespace of that type gets: the kernel's default (or, for a few keys, init_net's value). */
  readonly container: string;
}

const NAMESPACE_SCOPES: ReadonlySet<Scope> = new Set(['net', 'ipc', 'uts']);
const WRITE_BITS = 0o222;

/** Values compared as the kernel prints them: tab- or space-separated numbers are the same setting. */
export function sameValue(a: string, b: string): boolean {
  return a.trim().split(/\s+/).join(' ') === b.trim().split(/\s+/).join(' ');
}

/**
 * The keys a new container does not inherit: namespaced (net/ipc/uts), settings rather than counters, writable
 * in a new namespace (so a container could set them), and whose host value differs from what the fresh
 * namespace got. Sorted by key.
 */
export function findNotInherited(rows: readonly DefaultRow[]): NotInherited[] {
  return rows
    .filter(
      (r): r is DefaultRow & { host: string; container: string } =>
        NAMESPACE_SCOPES.has(r.scope) &&
        !r.volatile &&
        (r.childMode & WRITE_BITS) !== 0 &&
        r.host !== null &&
        r.container !== null &&
        !sameValue(r.host, r.container),
    )
    .map((r) => ({ key: r.key, scope: r.scope, host: r.host, container: r.container }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export interface StillAtDefault extends NotInherited {
  /** The value in the namespace set now (equal to `container`). */
  readonly value: string;
}

/**
 * For one running set: the not-inherited keys of the namespace types it owns (does not share with the host)
 * that still hold the fresh-namespace default. A key the set changed to anything else is its own choice.
 */
export function stillAtDefault(
  notInherited: readonly NotInherited[],
  ownTypes: ReadonlySet<string>,
  values: ReadonlyMap<string, string | null>,
): StillAtDefault[] {
  const result: StillAtDefault[] = [];
  for (const item of notInherited) {
    if (!ownTypes.has(item.scope)) continue;
    const value = values.get(item.key);
    if (value === undefined || value === null || !sameValue(value, item.container)) continue;
    result.push({ ...item, value });
  }
  return result;
}

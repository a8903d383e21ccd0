import type { ValueState } from '../history/diff-value-maps.js';
import type { ChildVisibility, Scope } from '../sysctl/sysctl-types.js';
import type { NamespaceType } from './namespace-types.js';

export interface CatalogEntry {
  readonly scope: Scope;
  readonly childVisibility: ChildVisibility | null;
  readonly volatile: boolean;
}

export type ValueSource = 'namespace' | 'host';

export interface EffectiveSetting {
  readonly key: string;
  readonly scope: Scope;
  readonly childVisibility: ChildVisibility | null;
  readonly volatile: boolean;
  readonly value: string | null;
  /** `namespace`: the set's own value; `host`: the host's value applies (global, mirrored, or a shared namespace). */
  readonly source: ValueSource;
  /** False for a global key the set cannot even see (absent in a child netns) though it is bound by it. */
  readonly visibleInside: boolean;
}

const NAMESPACED: ReadonlySet<Scope> = new Set<Scope>(['net', 'ipc', 'uts']);
/** Scopes read in the pid/user namespace of a set's process, which its identity does not name. */
const KEY_OWNER_SCOPES: ReadonlySet<Scope> = new Set<Scope>(['pid', 'user']);

/**
 * The settings in force inside a namespace set: its own value for keys of the namespace types it owns (and for
 * pid/user keys it has its own reading of: read in its own pid/user namespace), the host's value for everything else (global keys, mirrored keys, and namespaces it shares with the host).
 * Keys of an owned type that the set does not have (the host's per-device keys) are not in force there.
 */
export function composeEffectiveSettings(
  catalog: ReadonlyMap<string, CatalogEntry>,
  host: ValueState,
  own: ValueState,
  ownTypes: readonly NamespaceType[],
): EffectiveSetting[] {
  const owned = new Set<string>(ownTypes);
  const result: EffectiveSetting[] = [];
  const keys = new Set([...host.keys(), ...own.keys()]);
  for (const key of keys) {
    const entry = catalog.get(key);
    if (!entry) continue;
    const base = {
      key,
      scope: entry.scope,
      childVisibility: entry.childVisibility,
      volatile: entry.volatile,
    };
    if (NAMESPACED.has(entry.scope) && owned.has(entry.scope)) {
      if (own.has(key))
        result.push({ ...base, value: own.get(key) ?? null, source: 'namespace', visibleInside: true });
      continue;
    }
    // pid- and user-scoped keys are read in the set's own pid/user namespace when it has one (the reading is there).
    if (KEY_OWNER_SCOPES.has(entry.scope) && own.has(key)) {
      result.push({ ...base, value: own.get(key) ?? null, source: 'namespace', visibleInside: true });
      continue;
    }
    const seenInside =
      own.has(key) || !(entry.scope === 'global' && entry.childVisibility === 'absent' && owned.has('net'));
    result.push({
      ...base,
      value: host.has(key) ? (host.get(key) ?? null) : (own.get(key) ?? null),
      source: 'host',
      visibleInside: seenInside,
    });
  }
  return result.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Declared sysctls (docker run --sysctl) compare with effective values with whitespace folded. */
export function sameSysctlValue(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return a === b;
  return a.trim().split(/\s+/).join(' ') === b.trim().split(/\s+/).join(' ');
}

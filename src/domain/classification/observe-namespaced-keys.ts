import type { ValueState } from '../history/diff-value-maps.js';
import type { NamespaceType } from '../namespaces/namespace-types.js';
import type { Scope } from '../sysctl/sysctl-types.js';

export interface ObservedSet {
  readonly identity: string;
  readonly differingTypes: readonly NamespaceType[];
  readonly values: ValueState;
}

export interface ObservedNamespacedKey {
  readonly key: string;
  readonly scope: Scope;
  readonly evidence: {
    readonly method: 'observed-values';
    readonly namespace: string;
    readonly hostValue: string | null;
    readonly namespaceValue: string | null;
  };
}

/**
 * A key classified global whose value differs between the host and another namespace set is namespaced,
 * whatever the table says: the kernel shows two values. Its scope is `net` for `net.*` keys, else the one
 * namespace type (ipc or uts) in which that set differs from the host; with no single candidate it is left alone.
 */
export function observeNamespacedKeys(
  host: ValueState,
  sets: readonly ObservedSet[],
  scopeOf: (key: string) => Scope | undefined,
  isVolatile: (key: string) => boolean,
): ObservedNamespacedKey[] {
  const found = new Map<string, ObservedNamespacedKey>();
  for (const set of sets) {
    // forEach, not for…of: a compact state (compact-state.ts) then makes no entry pair per key.
    set.values.forEach((value, key) => {
      if (found.has(key) || scopeOf(key) !== 'global' || isVolatile(key) || !host.has(key)) return;
      const hostValue = host.get(key) ?? null;
      if (hostValue === value || value === null || hostValue === null) return;
      const nonNet = set.differingTypes.filter((t) => t !== 'net');
      const scope: Scope | undefined = key.startsWith('net.')
        ? 'net'
        : nonNet.length === 1
          ? nonNet[0]
          : undefined;
      if (!scope) return;
      found.set(key, {
        key,
        scope,
        evidence: { method: 'observed-values', namespace: set.identity, hostValue, namespaceValue: value },
      });
    });
  }
  return [...found.values()];
}

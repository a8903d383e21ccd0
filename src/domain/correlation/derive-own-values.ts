import type { Evidence, KeyFacts, OwnValueEvidence } from './evidence-types.js';

/** A place and a namespaced limit key that usage, a counter or a kernel line of that place ran into. */
export interface OwnValueTarget {
  readonly namespace: string;
  readonly owners: readonly string[];
  readonly key: string;
}

export interface SetValue {
  readonly value: string | null;
  readonly since: number;
  /** No earlier value is recorded for the set. */
  readonly first: boolean;
}

export interface OwnValueReferences {
  /** By `targetId(namespace, key)`. */
  readonly setValues: ReadonlyMap<string, SetValue>;
  readonly host: ReadonlyMap<string, string | null>;
  readonly fresh: ReadonlyMap<string, string | null>;
  readonly baseline: { readonly name: string; readonly values: ReadonlyMap<string, string | null> } | null;
}

export function targetId(namespace: string, key: string): string {
  return `${namespace}\u0000${key}`;
}

/**
 * The namespaced limits behind the symptoms of sets other than the host: for each saturation, counter rise
 * or kernel line seen in such a set, the key it runs into (global keys have no value of their own per set).
 */
export function ownValueTargets(
  evidence: readonly Evidence[],
  facts: ReadonlyMap<string, KeyFacts>,
): OwnValueTarget[] {
  const targets = new Map<string, OwnValueTarget>();
  for (const item of evidence) {
    if (item.kind !== 'saturated' && item.kind !== 'overflowed' && item.kind !== 'kernel-event') continue;
    if (item.namespace === null || item.namespace === 'host') continue;
    const scope = facts.get(item.key)?.scope;
    if (scope === undefined || scope === 'global') continue;
    targets.set(targetId(item.namespace, item.key), {
      namespace: item.namespace,
      owners: item.owners,
      key: item.key,
    });
  }
  return [...targets.values()].sort((a, b) =>
    targetId(a.namespace, a.key).localeCompare(targetId(b.namespace, b.key)),
  );
}

/**
 * Own-value evidence: the set's value differs from the host's, from a fresh namespace's default, or from the
 * baseline's (the baseline is a host: its value is what a host there runs). Whether it was set at creation
 * or changed later makes no difference to whether it binds.
 */
export function deriveOwnValues(
  targets: readonly OwnValueTarget[],
  references: OwnValueReferences,
): OwnValueEvidence[] {
  const evidence: OwnValueEvidence[] = [];
  for (const target of targets) {
    const own = references.setValues.get(targetId(target.namespace, target.key));
    if (!own || own.value === null) continue;
    const host = references.host.get(target.key) ?? null;
    const fresh = references.fresh.get(target.key) ?? null;
    const there = references.baseline ? (references.baseline.values.get(target.key) ?? host) : undefined;
    const differs = [host, fresh, there ?? null].some((r) => r !== null && !same(r, own.value));
    if (!differs) continue;
    evidence.push({
      kind: 'own-value',
      key: target.key,
      namespace: target.namespace,
      owners: target.owners,
      value: own.value,
      host,
      fresh,
      ...(references.baseline ? { baseline: references.baseline.name, there: there ?? null } : {}),
      since: own.since,
      atCreation: own.first,
    });
  }
  return evidence;
}

function same(a: string, b: string | null): boolean {
  return b !== null && a.trim().split(/\s+/).join(' ') === b.trim().split(/\s+/).join(' ');
}

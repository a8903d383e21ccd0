import type { ValueState } from '../history/diff-value-maps.js';
import { sameSysctlValue } from '../namespaces/compose-effective-settings.js';
import type { ChildVisibility, Scope } from '../sysctl/sysctl-types.js';

export interface KeyClass {
  readonly scope: Scope;
  readonly childVisibility: ChildVisibility | null;
  readonly volatile: boolean;
}

/** One side of the comparison: the values of a host namespace set and how its kernel classifies the keys. */
export interface ClassifiedState {
  readonly values: ValueState;
  readonly classification: ReadonlyMap<string, KeyClass>;
}

export type BaselineDifferenceKind = 'changed' | 'only-here' | 'only-baseline';

export interface BaselineDifference {
  readonly key: string;
  readonly scope: Scope;
  readonly childVisibility: ChildVisibility | null;
  /** Null when the key is missing here or present but unreadable (see `kind`). */
  readonly here: string | null;
  readonly baseline: string | null;
  readonly kind: BaselineDifferenceKind;
}

/**
 * Keys whose values differ between this host and a baseline. Counters (volatile on either side) are skipped;
 * values compare with whitespace folded. Classification is this host's when it knows the key, else the
 * baseline's; `scope` keeps only keys of that scope. Ordered by `hostWideFirst`.
 */
export function diffAgainstBaseline(
  here: ClassifiedState,
  baseline: ClassifiedState,
  scope?: Scope,
): BaselineDifference[] {
  const differences: BaselineDifference[] = [];
  for (const key of new Set([...here.values.keys(), ...baseline.values.keys()])) {
    const ours = here.classification.get(key);
    const theirs = baseline.classification.get(key);
    const cls = ours ?? theirs;
    if (!cls || ours?.volatile || theirs?.volatile) continue;
    if (scope !== undefined && cls.scope !== scope) continue;
    const inHere = here.values.has(key);
    const inBaseline = baseline.values.has(key);
    const a = here.values.get(key) ?? null;
    const b = baseline.values.get(key) ?? null;
    if (inHere && inBaseline && sameSysctlValue(a, b)) continue;
    const kind: BaselineDifferenceKind = !inBaseline ? 'only-here' : !inHere ? 'only-baseline' : 'changed';
    differences.push({
      key,
      scope: cls.scope,
      childVisibility: cls.childVisibility,
      here: a,
      baseline: b,
      kind,
    });
  }
  return differences.sort(hostWideFirst);
}

/**
 * A container cannot change a global key or a mirrored one (it sees the host's value, read-only), so those
 * come first: they are the production-only differences no container setting can explain. Then by key.
 */
export function hostWideFirst(
  a: Pick<BaselineDifference, 'key' | 'scope' | 'childVisibility'>,
  b: Pick<BaselineDifference, 'key' | 'scope' | 'childVisibility'>,
): number {
  const rank = (d: typeof a): number => (d.scope === 'global' || d.childVisibility === 'mirrored' ? 0 : 1);
  return rank(a) - rank(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

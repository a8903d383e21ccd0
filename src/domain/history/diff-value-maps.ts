/** A key's value in one state; null = present but unreadable. A key missing from the map did not exist. */
export type ValueState = ReadonlyMap<string, string | null>;

export type ValueDifferenceKind = 'added' | 'removed' | 'changed';

export interface ValueDifference {
  readonly key: string;
  readonly kind: ValueDifferenceKind;
  /** Undefined when the key did not exist before. */
  readonly before: string | null | undefined;
  /** Undefined when the key no longer exists. */
  readonly after: string | null | undefined;
}

/** Every key whose value differs between two states, appeared or disappeared included, sorted by key. */
export function diffValueMaps(before: ValueState, after: ValueState): ValueDifference[] {
  const differences: ValueDifference[] = [];
  for (const [key, value] of after) {
    if (!before.has(key)) differences.push({ key, kind: 'added', before: undefined, after: value });
    else if (before.get(key) !== value) {
      differences.push({ key, kind: 'changed', before: before.get(key), after: value });
    }
  }
  for (const [key, value] of before) {
    if (!after.has(key)) differences.push({ key, kind: 'removed', before: value, after: undefined });
  }
  return differences.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

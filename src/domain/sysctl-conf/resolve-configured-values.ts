import { compileKeyGlob, isKeyGlob } from './match-key-glob.js';
import type { ConfAssignment, ConfiguredValue } from './sysctl-conf-types.js';

export interface ResolvedBootConfig {
  /** The value the boot configuration would write, per key of this kernel. */
  readonly values: Map<string, ConfiguredValue>;
  /** Explicit (non-glob) assignments of keys this kernel does not have: they never applied. */
  readonly unknown: ConfAssignment[];
}

/**
 * Folds assignments (every file's lines, files in parse order) as systemd-sysctl does, then applies them to the
 * keys of this kernel:
 * - a later assignment of the same key with another value replaces the earlier one (and moves after it); the same
 *   value again keeps the earlier line as the source;
 * - an explicit assignment, or a `-key` exclusion, of a key wins over every glob that matches it, whatever the order;
 * - globs apply to every matching key in the folded order, so of two globs the later one wins.
 */
export function resolveConfiguredValues(
  assignments: readonly ConfAssignment[],
  kernelKeys: Iterable<string>,
): ResolvedBootConfig {
  const folded = new Map<string, ConfAssignment>();
  for (const a of assignments) {
    const held = folded.get(a.key);
    if (held !== undefined && held.value === a.value) {
      if (a.ignoreFailure && !held.ignoreFailure) folded.set(a.key, { ...held, ignoreFailure: true });
      continue;
    }
    folded.delete(a.key);
    folded.set(a.key, a);
  }

  const known = new Set(kernelKeys);
  const values = new Map<string, ConfiguredValue>();
  const unknown: ConfAssignment[] = [];
  const globs = [...folded.values()].filter((a) => a.value !== null && isKeyGlob(a.key));
  for (const glob of globs) {
    const matches = compileKeyGlob(glob.key);
    for (const key of known) {
      if (folded.has(key) || !matches(key)) continue;
      values.set(key, configured(key, glob, glob.key));
    }
  }
  for (const a of folded.values()) {
    if (a.value === null || isKeyGlob(a.key)) continue;
    if (known.has(a.key)) values.set(a.key, configured(a.key, a, null));
    else unknown.push(a);
  }
  return { values, unknown };
}

function configured(key: string, a: ConfAssignment, glob: string | null): ConfiguredValue {
  return { key, value: a.value ?? '', source: a.source, glob, ignoreFailure: a.ignoreFailure };
}

/** Everything the boot configuration sets, known to this kernel or not: what is stored as configuration history. */
export function everyConfiguredValue(config: ResolvedBootConfig): Map<string, ConfiguredValue> {
  const all = new Map(config.values);
  for (const a of config.unknown) all.set(a.key, configured(a.key, a, null));
  return all;
}

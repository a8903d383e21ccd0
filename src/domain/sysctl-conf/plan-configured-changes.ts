import type { ConfiguredValue } from './sysctl-conf-types.js';

/** What to store after reading the boot configuration again: lines that now say something else, and keys it no
 * longer sets. A configuration change is a change: the same value moved to another file or line is one too. */
export interface ConfiguredChanges {
  readonly opened: ConfiguredValue[];
  readonly closed: string[];
}

function sameConfigured(a: ConfiguredValue, b: ConfiguredValue): boolean {
  return (
    a.value === b.value &&
    a.source.file === b.source.file &&
    a.source.line === b.source.line &&
    a.glob === b.glob &&
    a.ignoreFailure === b.ignoreFailure
  );
}

/** Compares the stored configuration (key → value and source) with the one just read. Keys in order. */
export function planConfiguredChanges(
  stored: ReadonlyMap<string, ConfiguredValue>,
  read: ReadonlyMap<string, ConfiguredValue>,
): ConfiguredChanges {
  const opened: ConfiguredValue[] = [];
  const closed: string[] = [];
  for (const [key, now] of read) {
    const before = stored.get(key);
    if (before === undefined) opened.push(now);
    else if (!sameConfigured(before, now)) {
      closed.push(key);
      opened.push(now);
    }
  }
  for (const key of stored.keys()) if (!read.has(key)) closed.push(key);
  const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return { opened: opened.sort((a, b) => byKey(a.key, b.key)), closed: closed.sort(byKey) };
}

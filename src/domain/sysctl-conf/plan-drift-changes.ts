import type { ConfigDrift } from './find-config-drift.js';
import type { ConfSource } from './sysctl-conf-types.js';

/** A drift as stored: open since `since` (epoch ms), with its latest runtime and configured values. */
export interface StoredDrift {
  readonly key: string;
  readonly runtime: string | null;
  readonly configured: string;
  readonly source: ConfSource;
  readonly unknownToKernel: boolean;
  readonly since: number;
}

/**
 * What to store after comparing the drift found now with the drift stored as open: drift that appeared, drift
 * that ended (the runtime value now matches, the line is gone, or the key now exists and matches), and open
 * drift whose runtime value, configured value or source moved while it lasted (kept open: `since` stays).
 */
export interface DriftChanges {
  readonly appeared: ConfigDrift[];
  readonly ended: StoredDrift[];
  readonly updated: ConfigDrift[];
}

function sameDrift(stored: StoredDrift, found: ConfigDrift): boolean {
  return (
    stored.runtime === found.runtime &&
    stored.configured === found.configured &&
    stored.source.file === found.source.file &&
    stored.source.line === found.source.line &&
    stored.unknownToKernel === (found.kind === 'unknown-key')
  );
}

/** Compares the open drift (by key) with the drift just found. Each list in key order. */
export function planDriftChanges(
  stored: ReadonlyMap<string, StoredDrift>,
  found: readonly ConfigDrift[],
): DriftChanges {
  const appeared: ConfigDrift[] = [];
  const updated: ConfigDrift[] = [];
  const seen = new Set<string>();
  for (const drift of found) {
    seen.add(drift.key);
    const before = stored.get(drift.key);
    if (before === undefined) appeared.push(drift);
    else if (!sameDrift(before, drift)) updated.push(drift);
  }
  const ended = [...stored.values()].filter((s) => !seen.has(s.key));
  const byKey = (a: { key: string }, b: { key: string }): number =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  return { appeared: appeared.sort(byKey), ended: ended.sort(byKey), updated: updated.sort(byKey) };
}

/**
 * A drift that appeared or ended in one snapshot, as events tell it. For an ended drift `runtime` and
 * `configured` are the values now (`configured` null when no line sets the key any more, `runtime` null when the
 * kernel has no such key), `source` the line that sets it now, and `since` when the drift had begun.
 */
export interface DriftTransition {
  readonly key: string;
  readonly runtime: string | null;
  readonly configured: string | null;
  readonly source: ConfSource | null;
  readonly unknownToKernel: boolean;
  readonly since: number;
}

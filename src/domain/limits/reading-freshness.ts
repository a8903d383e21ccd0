import { SAMPLE_HEARTBEAT_MS } from './select-samples-to-store.js';

/**
 * Which collector measures each metric (by name prefix): an error of that collector on a set means the
 * snapshot did not measure the set's reading. `sysctl` reads every limit and the usages taken from sysctls.
 */
const MEASURED_BY: readonly [prefix: string, collector: string][] = [
  ['conntrack.', 'conntrack'],
  ['ports.', 'ephemeral-ports'],
  ['neighbours.', 'neighbours'],
  ['tcp.memory_', 'tcp-memory'],
  ['tcp.listen_', 'listen-overflows'],
  ['tasks.', 'tasks'],
  ['ipc.', 'sysv-ipc'],
  ['files.', 'sysctl'],
  ['aio.', 'sysctl'],
  ['pty.', 'sysctl'],
];

/** The collector errors one snapshot recorded, by set identity. */
export interface SnapshotFailures {
  readonly takenAt: number;
  readonly failed: ReadonlyMap<string, ReadonlySet<string>>;
}

/** A snapshot's `errors` (JSON objects; collection errors carry `target` and `collector`) by set identity. */
export function failuresOf(takenAt: number, errors: readonly unknown[]): SnapshotFailures {
  const failed = new Map<string, Set<string>>();
  for (const error of errors) {
    if (typeof error !== 'object' || error === null) continue;
    const { target, collector } = error as { target?: unknown; collector?: unknown };
    if (typeof target !== 'string' || typeof collector !== 'string') continue;
    const collectors = failed.get(target) ?? new Set<string>();
    collectors.add(collector);
    failed.set(target, collectors);
  }
  return { takenAt, failed };
}

/**
 * True when the snapshot did not measure the set's reading of `metric`: its sysctl read failed (the limit is
 * unread), or the metric's collector failed; for a metric no collector is known for, any failure counts.
 */
export function missedReading(failures: SnapshotFailures, identity: string, metric: string): boolean {
  const failed = failures.failed.get(identity);
  if (!failed || failed.size === 0) return false;
  if (failed.has('sysctl')) return true;
  const collector = MEASURED_BY.find(([prefix]) => metric.startsWith(prefix))?.[1];
  return collector === undefined || failed.has(collector);
}

export interface ReadingFreshness {
  /** True when the snapshot in force did not measure the reading: it is the last one known, not current. */
  readonly stale: boolean;
  /** When the reading was last measured (for a current one: the snapshot in force). */
  readonly measuredAt: number;
}

/**
 * Whether the latest reading of a series (`sampleAt`, the last stored sample: series are stored change-only,
 * and at least once per heartbeat) is current at the snapshot in force `seenAt`:
 * - stale when that snapshot failed to measure it (`latest`), or when the sample is a heartbeat old or more
 *   (a series still measured would have been stored again: it stopped without an error);
 * - `measuredAt` is then the last snapshot in `history` (snapshots at or after the sample and before `seenAt`,
 *   any order) that did not fail it and is less than a heartbeat after the sample (a later one that measured
 *   it would have stored it), else the sample's own time.
 */
export function readingFreshness(
  identity: string,
  metric: string,
  sampleAt: number,
  latest: SnapshotFailures,
  history: readonly SnapshotFailures[],
  heartbeatMs: number = SAMPLE_HEARTBEAT_MS,
): ReadingFreshness {
  const seenAt = latest.takenAt;
  if (sampleAt >= seenAt) return { stale: false, measuredAt: sampleAt };
  const stale = seenAt - sampleAt >= heartbeatMs || missedReading(latest, identity, metric);
  if (!stale) return { stale, measuredAt: seenAt };
  let measuredAt = sampleAt;
  for (const snapshot of history) {
    const candidate = snapshot.takenAt;
    if (candidate <= measuredAt || candidate >= seenAt || candidate - sampleAt >= heartbeatMs) continue;
    if (!missedReading(snapshot, identity, metric)) measuredAt = candidate;
  }
  return { stale, measuredAt };
}

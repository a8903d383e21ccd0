import type { RestoredState } from './metrics.service.js';
import type {
  AliveSetRow,
  LastSnapshotRow,
  LatestSampleRow,
  OwnerRow,
} from '../storage/latest-state.reader.js';
import { failuresOf, missedReading } from '../domain/limits/reading-freshness.js';
import { ownerLabel, podLabels, usageRatio, type UsageSeries } from './usage-series.js';

/**
 * Turns the database's last state (sets alive at the last snapshot, their owners and latest samples) into
 * gauges. A sample older than the last snapshot of a set that snapshot failed to read is not current: left out,
 * as the live gauges leave out what the last snapshot did not measure.
 */
export function restoredStateOf(
  last: LastSnapshotRow | undefined,
  sets: readonly AliveSetRow[],
  owners: readonly OwnerRow[],
  samples: readonly LatestSampleRow[],
): RestoredState {
  const labels = new Map(
    sets.map((set) => {
      const names = owners
        .filter((o) => o.namespace_id === set.id)
        .map((o) => ({ kind: o.kind, name: o.kind === 'process' ? `${o.name}[${o.pid ?? '?'}]` : o.name }));
      const pods = owners
        .filter((o) => o.namespace_id === set.id && o.kind === 'pod' && o.k8s_namespace !== null)
        .map((o) => ({
          namespace: o.k8s_namespace ?? '',
          name: o.name.slice((o.k8s_namespace ?? '').length + 1),
          containers: JSON.parse(o.containers ?? '[]') as { name: string }[],
        }));
      const pod = podLabels(pods);
      return [
        set.id,
        { namespace: set.identity, owner: ownerLabel(set.identity, names), ...(pod ? { pod } : {}) },
      ];
    }),
  );
  const identities = new Map(sets.map((set) => [set.id, set.identity]));
  const failures = failuresOf(last?.taken_at ?? 0, last ? parsedErrors(last.errors) : []);
  const usage: UsageSeries[] = [];
  for (const s of samples) {
    const label = labels.get(s.namespace_id);
    if (!label || !Number.isFinite(s.usage) || !Number.isFinite(s.limit_value)) continue;
    const identity = identities.get(s.namespace_id) ?? '';
    if (s.taken_at < failures.takenAt && missedReading(failures, identity, s.metric)) continue;
    usage.push({
      metric: s.metric,
      ...label,
      usage: s.usage,
      limit: s.limit_value,
      ratio: usageRatio(s.metric, s.usage, s.limit_value),
    });
  }
  return {
    lastSnapshot: last
      ? { takenAt: last.taken_at, durationMs: last.duration_ms, keysRead: last.keys_read }
      : null,
    setKinds: sets.map((s) => s.kind),
    usage,
  };
}

function parsedErrors(errors: string): unknown[] {
  try {
    const value: unknown = JSON.parse(errors);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

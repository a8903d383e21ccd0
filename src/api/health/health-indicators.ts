import type { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { StorageView } from '../../storage/storage-status.js';
import type { LastSnapshotRow } from '../../storage/repositories/snapshot-log.repository.js';

export interface SnapshotFreshness {
  id: number;
  takenAt: string;
  ageSeconds: number;
  stale: boolean;
}

/** A snapshot is stale when older than three intervals; before the first one, the agent gets two intervals. */
export function snapshotFreshness(
  last: LastSnapshotRow | undefined,
  now: number,
  intervalSeconds: number,
): SnapshotFreshness | null {
  if (!last) return null;
  const ageSeconds = Math.max(0, Math.round((now - last.taken_at) / 1000));
  return {
    id: last.id,
    takenAt: new Date(last.taken_at).toISOString(),
    ageSeconds,
    stale: ageSeconds > 3 * intervalSeconds,
  };
}

export function snapshotsIndicator(
  indicators: HealthIndicatorService,
  freshness: SnapshotFreshness | null,
  context: {
    readOnly: boolean;
    uptimeSeconds: number;
    intervalSeconds: number;
    lastFailure: { readonly at: number; readonly message: string } | null;
  },
): HealthIndicatorResult {
  const check = indicators.check('snapshots');
  if (context.readOnly)
    return check.up({ mode: 'read-only postmortem: no collection', lastSnapshot: freshness });
  // A failed attempt is news at once, not after the last good snapshot has aged three intervals.
  if (context.lastFailure) {
    return check.down({
      lastSnapshot: freshness,
      message: `the last snapshot failed at ${new Date(context.lastFailure.at).toISOString()}: ${context.lastFailure.message}`,
    });
  }
  if (!freshness) {
    return context.uptimeSeconds <= 2 * context.intervalSeconds + 30
      ? check.up({ lastSnapshot: null, note: 'first snapshot in progress' })
      : check.down({ lastSnapshot: null, message: 'no snapshot recorded since start' });
  }
  return freshness.stale
    ? check.down({ lastSnapshot: freshness, message: `last snapshot is ${freshness.ageSeconds} s old` })
    : check.up({ lastSnapshot: freshness });
}

export interface DockerStatus {
  reachable: boolean;
  message: string | null;
}

/** From the last snapshot's errors. */
export function dockerStatus(last: LastSnapshotRow | undefined): DockerStatus | null {
  if (!last) return null;
  const errors = JSON.parse(last.errors) as { source?: string; message?: string }[];
  const docker = errors.find((e) => e.source === 'docker');
  return { reachable: !docker, message: docker?.message ?? null };
}

/**
 * Down only when an engine is installed (its socket exists) but does not answer: no Docker is a normal host.
 * `socketExists` is null in postmortem mode: the copy's host is not this one, whose Docker is not looked at.
 */
export function dockerIndicator(
  indicators: HealthIndicatorService,
  status: DockerStatus | null,
  socketExists: boolean | null,
): HealthIndicatorResult {
  const check = indicators.check('docker');
  if (socketExists === null) {
    return check.up({ probed: false, mode: 'read-only postmortem', reachable: status?.reachable ?? null });
  }
  if (!status || status.reachable) return check.up({ reachable: status?.reachable ?? null });
  return socketExists
    ? check.down({ reachable: false, message: status.message })
    : check.up({ reachable: false, installed: false, message: status.message });
}

/** Down when the kernel log cannot be followed (in postmortem mode it is not followed at all). */
export function kernelLogIndicator(
  indicators: HealthIndicatorService,
  status: { readonly readable: boolean; readonly message: string | null },
  readOnly: boolean,
): HealthIndicatorResult {
  const check = indicators.check('kernelLog');
  if (readOnly) return check.up({ followed: false, mode: 'read-only postmortem' });
  return status.readable
    ? check.up({ readable: true })
    : check.down({ readable: false, message: status.message });
}

/** Down while nothing can be recorded: the last write failed, the file is gone, or another process holds the lock. */
export function storageIndicator(
  indicators: HealthIndicatorService,
  storage: StorageView,
  readOnly: boolean,
): HealthIndicatorResult {
  const check = indicators.check('storage');
  if (storage.problem === null || (readOnly && storage.fileFault === null)) {
    return check.up({ writable: !readOnly && storage.writable, lastCommitAt: storage.lastCommitAt });
  }
  return check.down({
    message: storage.problem,
    failingSince: storage.failingSince,
    consecutiveFailures: storage.consecutiveFailures,
  });
}

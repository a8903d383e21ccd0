import { Injectable } from '@nestjs/common';
import {
  failuresOf,
  type ReadingFreshness,
  readingFreshness,
  type SnapshotFailures,
} from '../../domain/limits/reading-freshness.js';
import { SAMPLE_HEARTBEAT_MS } from '../../domain/limits/select-samples-to-store.js';
import { SnapshotsRepository } from '../../storage/repositories/snapshots.repository.js';

/** A served reading: the last stored sample of one series. */
export interface ServedReading {
  readonly identity: string;
  readonly metric: string;
  readonly takenAt: number;
}

/**
 * Whether each served reading was measured by the snapshot in force (`seenAt`), from the snapshots' recorded
 * errors: a set whose read failed (its netns could not be entered, a file could not be read) keeps its last
 * sample, which must not pass for current. The snapshots since a stale sample are read only for stale ones.
 */
@Injectable()
export class ReadingFreshnessReader {
  constructor(private readonly snapshots: SnapshotsRepository) {}

  async of(readings: readonly ServedReading[], seenAt: number): Promise<ReadingFreshness[]> {
    const latest = merged(seenAt, await this.snapshots.errorsBetween(seenAt, seenAt));
    const histories = new Map<number, SnapshotFailures[]>();
    const out: ReadingFreshness[] = [];
    for (const r of readings) {
      const first = readingFreshness(r.identity, r.metric, r.takenAt, latest, []);
      if (!first.stale) {
        out.push(first);
        continue;
      }
      let history = histories.get(r.takenAt);
      if (!history) {
        const until = Math.min(seenAt - 1, r.takenAt + SAMPLE_HEARTBEAT_MS - 1);
        const rows = await this.snapshots.errorsBetween(r.takenAt, until);
        history = rows.map((row) => failuresOf(row.taken_at, parsed(row.errors)));
        histories.set(r.takenAt, history);
      }
      out.push(readingFreshness(r.identity, r.metric, r.takenAt, latest, history));
    }
    return out;
  }
}

function merged(takenAt: number, rows: readonly { errors: string }[]): SnapshotFailures {
  return failuresOf(
    takenAt,
    rows.flatMap((row) => parsed(row.errors)),
  );
}

function parsed(errors: string): unknown[] {
  try {
    const value: unknown = JSON.parse(errors);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SAMPLE_HEARTBEAT_MS } from '../snapshot/build-target-records.js';
import { MetricsService } from './metrics.service.js';
import {
  type AliveSetRow,
  type LastSnapshotRow,
  type LatestSampleRow,
  type OwnerRow,
  restoredStateOf,
} from './restored-state.js';

/**
 * Postmortem (read-only) mode takes no snapshot, so the gauges are filled once at start from the database:
 * the sets alive at the last snapshot, their owners, and each series' latest sample if stored within the
 * heartbeat (every live series is stored at least that often; an older one had stopped).
 */
@Injectable()
export class LatestStateLoader {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  async fillFromDatabase(): Promise<void> {
    const [last] = (await this.dataSource.query(
      `SELECT "taken_at", "duration_ms", "keys_read" FROM "snapshots" ORDER BY "taken_at" DESC, "id" DESC LIMIT 1`,
    )) as LastSnapshotRow[];
    if (!last) {
      this.metrics.restore({ lastSnapshot: null, setKinds: [], usage: [] });
      return;
    }
    const sets = (await this.dataSource.query(
      `SELECT "id", "identity", "kind" FROM "namespaces" WHERE "last_seen_at" = ?`,
      [last.taken_at],
    )) as AliveSetRow[];
    const owners = (await this.dataSource.query(
      `SELECT o."namespace_id", o."kind", o."name", o."pid" FROM "owners" o
         JOIN "namespaces" n ON n."id" = o."namespace_id"
        WHERE n."last_seen_at" = ? AND o."last_seen_at" = ?`,
      [last.taken_at, last.taken_at],
    )) as OwnerRow[];
    const samples = (await this.dataSource.query(
      `SELECT s."namespace_id", s."metric", s."usage", s."limit_value" FROM "usage_samples" s
        WHERE s."id" IN (
          SELECT max(u."id") FROM "usage_samples" u JOIN "namespaces" n ON n."id" = u."namespace_id"
           WHERE n."last_seen_at" = ? AND u."taken_at" > ?
           GROUP BY u."namespace_id", u."metric")`,
      [last.taken_at, last.taken_at - SAMPLE_HEARTBEAT_MS],
    )) as LatestSampleRow[];
    this.metrics.restore(restoredStateOf(last, sets, owners, samples));
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SAMPLE_HEARTBEAT_MS } from '../domain/limits/select-samples-to-store.js';

export interface LastSnapshotRow {
  readonly taken_at: number;
  readonly duration_ms: number;
  readonly keys_read: number;
  /** The snapshot's errors (JSON array): a set whose read failed has no current reading. */
  readonly errors: string;
}

export interface AliveSetRow {
  readonly id: number;
  readonly identity: string;
  readonly kind: string;
}

export interface OwnerRow {
  readonly namespace_id: number;
  readonly kind: string;
  readonly name: string;
  readonly pid: number | null;
  /** Pods: the Kubernetes namespace and the containers as JSON; null for other kinds. */
  readonly k8s_namespace?: string | null;
  readonly containers?: string | null;
}

export interface LatestSampleRow {
  readonly namespace_id: number;
  readonly metric: string;
  readonly usage: number;
  readonly limit_value: number;
  readonly taken_at: number;
}

/** The database's latest state: the last snapshot, the sets alive at it, their owners and latest samples. */
export interface LatestStateRows {
  readonly last: LastSnapshotRow | undefined;
  readonly sets: readonly AliveSetRow[];
  readonly owners: readonly OwnerRow[];
  readonly samples: readonly LatestSampleRow[];
}

/**
 * Reads the latest state postmortem mode fills its gauges from: the sets alive at the last snapshot, their
 * owners, and each series' latest sample if stored within the heartbeat (every live series is stored at least
 * that often; an older one had stopped).
 */
@Injectable()
export class LatestStateReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async read(): Promise<LatestStateRows> {
    const [last] = (await this.dataSource.query(
      `SELECT "taken_at", "duration_ms", "keys_read", "errors" FROM "snapshots" ORDER BY "taken_at" DESC, "id" DESC LIMIT 1`,
    )) as LastSnapshotRow[];
    if (!last) return { last, sets: [], owners: [], samples: [] };
    const sets = (await this.dataSource.query(
      `SELECT "id", "identity", "kind" FROM "namespaces" WHERE "last_seen_at" = ?`,
      [last.taken_at],
    )) as AliveSetRow[];
    const owners = (await this.dataSource.query(
      `SELECT o."namespace_id", o."kind", o."name", o."pid", o."k8s_namespace", o."containers" FROM "owners" o
         JOIN "namespaces" n ON n."id" = o."namespace_id"
        WHERE n."last_seen_at" = ? AND o."last_seen_at" = ?`,
      [last.taken_at, last.taken_at],
    )) as OwnerRow[];
    const samples = (await this.dataSource.query(
      `SELECT s."namespace_id", s."metric", s."usage", s."limit_value", s."taken_at" FROM "usage_samples" s
        WHERE s."id" IN (
          SELECT max(u."id") FROM "usage_samples" u JOIN "namespaces" n ON n."id" = u."namespace_id"
           WHERE n."last_seen_at" = ? AND u."taken_at" > ?
           GROUP BY u."namespace_id", u."metric")`,
      [last.taken_at, last.taken_at - SAMPLE_HEARTBEAT_MS],
    )) as LatestSampleRow[];
    return { last, sets, owners, samples };
  }
}

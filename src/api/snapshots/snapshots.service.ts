import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import { intParam, orderedWindow, timeParam } from '../params/request-params.js';
import type { SnapshotListQuery } from './snapshot-list.query.js';
import type { SnapshotChange, SnapshotDetail, SnapshotPage, SnapshotView } from './snapshot.views.js';

interface SnapshotRow {
  id: number;
  taken_at: number;
  duration_ms: number;
  keys_read: number;
  namespaces_read: number;
  change_count: number;
  errors: string;
  trigger: string;
  read_methods: string;
}

interface ChangeRow {
  namespace: string;
  key: string;
  scope: string;
  value: string | null;
  side: 'opened' | 'closed';
}

/** Reads snapshots and their recorded changes from the database only. */
@Injectable()
export class SnapshotsQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(query: SnapshotListQuery): Promise<SnapshotPage> {
    const now = this.clock.now();
    const from = timeParam('from', query.from, now) ?? 0;
    const to = timeParam('to', query.to, now) ?? Number.MAX_SAFE_INTEGER;
    orderedWindow(from, to);
    const limit = intParam('limit', query.limit, 1, 1000) ?? 100;
    const cursor = intParam('cursor', query.cursor, 1, Number.MAX_SAFE_INTEGER) ?? Number.MAX_SAFE_INTEGER;
    const rows: SnapshotRow[] = await this.dataSource.query(
      `SELECT * FROM "snapshots" WHERE "taken_at" >= ? AND "taken_at" <= ? AND "id" < ? ORDER BY "id" DESC LIMIT ?`,
      [from, to, cursor, limit + 1],
    );
    const items = rows.slice(0, limit).map(toView);
    const nextCursor = rows.length > limit ? String(items[items.length - 1]?.id) : null;
    return { items, nextCursor };
  }

  async get(id: number): Promise<SnapshotDetail> {
    const rows: SnapshotRow[] = await this.dataSource.query(`SELECT * FROM "snapshots" WHERE "id" = ?`, [id]);
    const row = rows[0];
    if (!row) throw new NotFoundError(`snapshot ${id} does not exist`);
    const changeRows: ChangeRow[] = await this.dataSource.query(
      `SELECT n."identity" AS "namespace", k."name" AS "key", k."scope" AS "scope", v."value" AS "value", 'opened' AS "side"
         FROM "setting_values" v JOIN "keys" k ON k."id" = v."key_id" JOIN "namespaces" n ON n."id" = v."namespace_id"
        WHERE v."opened_by" = ?
       UNION ALL
       SELECT n."identity", k."name", k."scope", v."value", 'closed'
         FROM "setting_values" v JOIN "keys" k ON k."id" = v."key_id" JOIN "namespaces" n ON n."id" = v."namespace_id"
        WHERE v."closed_by" = ?`,
      [id, id],
    );
    return { ...toView(row), changes: pairChanges(changeRows) };
  }
}

function pairChanges(rows: readonly ChangeRow[]): SnapshotChange[] {
  const byKey = new Map<
    string,
    { namespace: string; key: string; scope: string; old?: string | null; new?: string | null }
  >();
  for (const row of rows) {
    const id = `${row.namespace}\u0000${row.key}`;
    const entry = byKey.get(id) ?? { namespace: row.namespace, key: row.key, scope: row.scope };
    if (row.side === 'opened') entry.new = row.value;
    else entry.old = row.value;
    byKey.set(id, entry);
  }
  return [...byKey.values()]
    .map((e) => ({
      namespace: e.namespace,
      key: e.key,
      scope: e.scope,
      kind:
        e.old === undefined
          ? ('added' as const)
          : e.new === undefined
            ? ('removed' as const)
            : ('changed' as const),
      old: e.old ?? null,
      new: e.new ?? null,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

function toView(row: SnapshotRow): SnapshotView {
  return {
    id: row.id,
    takenAt: new Date(row.taken_at).toISOString(),
    durationMs: row.duration_ms,
    keysRead: row.keys_read,
    namespacesRead: row.namespaces_read,
    changeCount: row.change_count,
    trigger: row.trigger,
    errors: JSON.parse(row.errors) as unknown[],
    readMethods: JSON.parse(row.read_methods) as Record<string, number>,
  };
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { ValueDifference } from '../domain/history/diff-value-maps.js';
import type { VolatileReading } from '../domain/history/plan-target-changes.js';
import type { UsageSample } from '../domain/limits/usage-pairs.js';
import type { KeyAccess, KeyClassification } from '../domain/sysctl/sysctl-types.js';
import { KeyCatalog } from './key-catalog.js';
import { chunked } from './chunked.js';

export interface NewKey {
  readonly name: string;
  readonly classification: KeyClassification;
  readonly access: KeyAccess;
}

export interface TargetRecord {
  readonly identity: string;
  readonly kind: string;
  readonly inodes: { readonly net: number | null; readonly ipc: number | null; readonly uts: number | null };
  readonly changes: readonly ValueDifference[];
  readonly volatileValues: readonly VolatileReading[];
  readonly samples: readonly UsageSample[];
}

export interface SnapshotRecord {
  readonly takenAt: number;
  readonly trigger: string;
  readonly keysRead: number;
  readonly errors: readonly unknown[];
  readonly newKeys: readonly NewKey[];
  readonly targets: readonly TargetRecord[];
  /** Called inside the transaction, just before commit, to measure the whole pass. */
  readonly durationMs: () => number;
}

export interface WrittenSnapshot {
  readonly id: number;
  readonly changeCount: number;
  readonly durationMs: number;
}

/** Persists one snapshot, its changes, samples and counter values in a single transaction. */
@Injectable()
export class SnapshotWriter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalog: KeyCatalog,
  ) {}

  async write(record: SnapshotRecord): Promise<WrittenSnapshot> {
    const changeCount = record.targets.reduce((sum, t) => sum + t.changes.length, 0);
    const written = await this.dataSource.transaction(async (em) => {
      const inserted: { id: number }[] = await em.query(
        `INSERT INTO "snapshots" ("taken_at", "duration_ms", "keys_read", "namespaces_read", "change_count", "errors", "trigger")
         VALUES (?, 0, ?, ?, ?, ?, ?) RETURNING "id"`,
        [
          record.takenAt,
          record.keysRead,
          record.targets.length,
          changeCount,
          JSON.stringify(record.errors),
          record.trigger,
        ],
      );
      const snapshotId = inserted[0]?.id;
      if (snapshotId === undefined) throw new Error('snapshot insert returned no id');
      const keyIds = await this.catalog.ensureKeys(em, record.newKeys, record.takenAt);
      for (const target of record.targets) {
        await this.writeTarget(em, snapshotId, record.takenAt, target, keyIds);
      }
      const durationMs = Math.round(record.durationMs());
      await em.query(`UPDATE "snapshots" SET "duration_ms" = ? WHERE "id" = ?`, [durationMs, snapshotId]);
      return { id: snapshotId, changeCount, durationMs };
    });
    this.catalog.commitPending();
    return written;
  }

  private async writeTarget(
    em: EntityManager,
    snapshotId: number,
    takenAt: number,
    target: TargetRecord,
    keyIds: ReadonlyMap<string, number>,
  ): Promise<void> {
    const namespaceId = await upsertNamespace(em, target, takenAt);
    const idOf = (key: string): number => {
      const id = keyIds.get(key) ?? this.catalog.idOf(key);
      if (id === undefined) throw new Error(`key ${key} is not in the catalog`);
      return id;
    };
    for (const change of target.changes) {
      if (change.kind === 'added') continue;
      await em.query(
        `UPDATE "setting_values" SET "valid_to" = ?, "closed_by" = ?
         WHERE "namespace_id" = ? AND "key_id" = ? AND "valid_to" IS NULL`,
        [takenAt, snapshotId, namespaceId, idOf(change.key)],
      );
    }
    const opened = target.changes.filter((c) => c.kind !== 'removed');
    for (const rows of chunked(opened, 500)) {
      await em.query(
        `INSERT INTO "setting_values" ("namespace_id", "key_id", "value", "valid_from", "opened_by") VALUES ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
        rows.flatMap((c) => [namespaceId, idOf(c.key), c.after ?? null, takenAt, snapshotId]),
      );
    }
    for (const rows of chunked(target.volatileValues, 500)) {
      await em.query(
        `INSERT INTO "volatile_values" ("namespace_id", "key_id", "value", "read_at") VALUES ${rows.map(() => '(?, ?, ?, ?)').join(', ')}
         ON CONFLICT ("namespace_id", "key_id") DO UPDATE SET "value" = excluded."value", "read_at" = excluded."read_at"`,
        rows.flatMap((v) => [namespaceId, idOf(v.key), v.value, takenAt]),
      );
    }
    for (const rows of chunked(target.samples, 500)) {
      await em.query(
        `INSERT INTO "usage_samples" ("snapshot_id", "namespace_id", "metric", "taken_at", "usage", "limit_value") VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
        rows.flatMap((s) => [snapshotId, namespaceId, s.metric, takenAt, s.usage, s.limit]),
      );
    }
  }
}

async function upsertNamespace(em: EntityManager, target: TargetRecord, seenAt: number): Promise<number> {
  const rows: { id: number }[] = await em.query(
    `INSERT INTO "namespaces" ("kind", "identity", "net_inode", "ipc_inode", "uts_inode", "first_seen_at", "last_seen_at")
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT ("identity") DO UPDATE SET "last_seen_at" = excluded."last_seen_at"
     RETURNING "id"`,
    [target.kind, target.identity, target.inodes.net, target.inodes.ipc, target.inodes.uts, seenAt, seenAt],
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new Error(`namespace ${target.identity} upsert returned no id`);
  return id;
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { ValueDifference } from '../domain/history/diff-value-maps.js';
import type { VolatileReading } from '../domain/history/plan-target-changes.js';
import type { UsageSample } from '../domain/limits/usage-pairs.js';
import type { NamespaceInodes, Owner } from '../domain/namespaces/namespace-types.js';
import { KeyCatalog, type NewKey, type Reclassification } from './key-catalog.js';
import { upsertOwners } from './owners.writer.js';
import { type LifetimeFacts, recordLifetime } from './set-lifetimes.js';
import { WriteLock } from './write-lock.js';
import { writeTransaction } from './write-transaction.js';
import { chunked } from './chunked.js';

export type { NewKey };

export interface TargetRecord {
  readonly identity: string;
  readonly kind: string;
  readonly inodes: NamespaceInodes;
  readonly owners: readonly Owner[];
  /**
   * For the set that holds the usage of a netns several sets share: the owners of the others (a debugging shell
   * in a container's netns), named in that netns's saturation events. Not stored: owners are per set.
   */
  readonly netnsSharers?: readonly Owner[];
  /** The pid and user namespaces its pid/user keys were read in; null for a type it shares with the host. */
  readonly keyNamespaceInodes?: { readonly pid: number | null; readonly user: number | null };
  /** Gone since the last snapshot: its intervals close, its last-seen time stays. */
  readonly vanished: boolean;
  /**
   * Every key was read this time: the set's last reading moves to this snapshot. Changes are bounded below by
   * the last complete reading (a partial one may have missed a key, so it never narrows the interval).
   */
  readonly complete: boolean;
  /**
   * Only the set's usage was read (rolling full reads): its keys were not, so its last reading stays where it
   * was, and so does the lower bound of the changes its next full read finds. Neither vanished nor incomplete.
   */
  readonly usageOnly?: boolean;
  readonly changes: readonly ValueDifference[];
  readonly volatileValues: readonly VolatileReading[];
  readonly samples: readonly UsageSample[];
  /** Evidence and start of a living set, or the end of a vanished one (set-lifetimes.ts). */
  readonly lifetime?: LifetimeFacts;
}

export interface SnapshotRecord {
  readonly takenAt: number;
  readonly trigger: string;
  /** The kernel's boot id when the snapshot was taken; null when it could not be read. */
  readonly bootId: string | null;
  readonly keysRead: number;
  readonly errors: readonly unknown[];
  readonly readMethods: Readonly<Record<string, number>>;
  readonly newKeys: readonly NewKey[];
  /** Keys whose classification changed (values observed to differ between namespace sets). */
  readonly reclassified: readonly Reclassification[];
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
    private readonly lock: WriteLock,
  ) {}

  /**
   * `written` runs inside the transaction once the snapshot's rows are in, before the commit: the producer
   * publishes its event there, so durable consumers (the webhook outbox) commit with the snapshot or not at all.
   */
  async write(
    record: SnapshotRecord,
    written?: (em: EntityManager, snapshotId: number) => Promise<void>,
  ): Promise<WrittenSnapshot> {
    const changeCount = record.targets.reduce((sum, t) => sum + t.changes.length, 0);
    const result = await this.transaction(async (em) => {
      const inserted: { id: number }[] = await em.query(
        `INSERT INTO "snapshots" ("taken_at", "duration_ms", "keys_read", "namespaces_read", "change_count", "errors", "trigger", "read_methods", "boot_id")
         VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"`,
        [
          record.takenAt,
          record.keysRead,
          record.targets.filter((t) => !t.vanished).length,
          changeCount,
          JSON.stringify(record.errors),
          record.trigger,
          JSON.stringify(record.readMethods),
          record.bootId,
        ],
      );
      const snapshotId = inserted[0]?.id;
      if (snapshotId === undefined) throw new Error('snapshot insert returned no id');
      const keyIds = await this.catalog.ensureKeys(em, record.newKeys, record.takenAt);
      await this.catalog.reclassify(em, record.reclassified);
      for (const target of record.targets) {
        await this.writeTarget(em, snapshotId, record.takenAt, target, keyIds);
      }
      await written?.(em, snapshotId);
      const durationMs = Math.round(record.durationMs());
      await em.query(`UPDATE "snapshots" SET "duration_ms" = ? WHERE "id" = ?`, [durationMs, snapshotId]);
      return { id: snapshotId, changeCount, durationMs };
    }).catch((error: unknown) => {
      this.catalog.discardPending();
      throw error;
    });
    this.catalog.commitPending();
    return result;
  }

  /** A write transaction, taken under the process-wide write lock. */
  private transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return writeTransaction(this.lock, this.dataSource, work);
  }

  /** Applies a new classification to catalogued keys in one transaction (after the start-up probe). */
  async reclassifyCatalog(changes: readonly Reclassification[]): Promise<void> {
    await this.transaction((em) => this.catalog.reclassify(em, changes)).catch((error: unknown) => {
      this.catalog.discardPending();
      throw error;
    });
    this.catalog.commitPending();
  }

  private async writeTarget(
    em: EntityManager,
    snapshotId: number,
    takenAt: number,
    target: TargetRecord,
    keyIds: ReadonlyMap<string, number>,
  ): Promise<void> {
    const namespaceId = await upsertNamespace(em, target, takenAt);
    await recordLifetime(em, namespaceId, target.lifetime, target.vanished, takenAt);
    const readBefore = await moveLastReading(
      em,
      namespaceId,
      target.complete && target.usageOnly !== true ? takenAt : null,
    );
    if (!target.vanished) await upsertOwners(em, namespaceId, target.owners, takenAt);
    if (!target.vanished && target.keyNamespaceInodes)
      await recordKeyNamespaces(em, namespaceId, target.keyNamespaceInodes);
    const idOf = (key: string): number => {
      const id = keyIds.get(key) ?? this.catalog.idOf(key);
      if (id === undefined) throw new Error(`key ${key} is not in the catalog`);
      return id;
    };
    for (const change of target.changes) {
      if (change.kind === 'added') continue;
      await em.query(
        `UPDATE "setting_values" SET "valid_to" = ?, "closed_by" = ?, "ended_after" = ?
         WHERE "namespace_id" = ? AND "key_id" = ? AND "valid_to" IS NULL`,
        [takenAt, snapshotId, readBefore, namespaceId, idOf(change.key)],
      );
    }
    const opened = target.changes.filter((c) => c.kind !== 'removed');
    for (const rows of chunked(opened, 500)) {
      await em.query(
        `INSERT INTO "setting_values" ("namespace_id", "key_id", "value", "valid_from", "opened_by", "changed_after") VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
        rows.flatMap((c) => [namespaceId, idOf(c.key), c.after ?? null, takenAt, snapshotId, readBefore]),
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

/**
 * The set's last complete full reading before this snapshot (null: never read), and, when `readAt` is given, this
 * snapshot becomes its last reading: the lower bound of the interval of every change it detects next.
 */
async function moveLastReading(
  em: EntityManager,
  namespaceId: number,
  readAt: number | null,
): Promise<number | null> {
  const rows: { last_read_at: number | null }[] = await em.query(
    `SELECT "last_read_at" FROM "namespaces" WHERE "id" = ?`,
    [namespaceId],
  );
  if (readAt !== null)
    await em.query(`UPDATE "namespaces" SET "last_read_at" = ? WHERE "id" = ?`, [readAt, namespaceId]);
  return rows[0]?.last_read_at ?? null;
}

/** Where the set's pid/user keys were last read (written only when it changes). */
async function recordKeyNamespaces(
  em: EntityManager,
  namespaceId: number,
  inodes: { readonly pid: number | null; readonly user: number | null },
): Promise<void> {
  await em.query(
    `UPDATE "namespaces" SET "pid_inode" = ?, "user_inode" = ?
      WHERE "id" = ? AND ("pid_inode" IS NOT ? OR "user_inode" IS NOT ?)`,
    [inodes.pid, inodes.user, namespaceId, inodes.pid, inodes.user],
  );
}

async function upsertNamespace(em: EntityManager, target: TargetRecord, seenAt: number): Promise<number> {
  if (target.vanished) {
    const rows: { id: number }[] = await em.query(`SELECT "id" FROM "namespaces" WHERE "identity" = ?`, [
      target.identity,
    ]);
    const id = rows[0]?.id;
    if (id === undefined) throw new Error(`vanished namespace ${target.identity} is unknown`);
    return id;
  }
  const rows: { id: number }[] = await em.query(
    `INSERT INTO "namespaces" ("kind", "identity", "net_inode", "ipc_inode", "uts_inode", "first_seen_at", "last_seen_at")
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT ("identity") DO UPDATE SET "last_seen_at" = excluded."last_seen_at", "kind" = excluded."kind"
     RETURNING "id"`,
    [target.kind, target.identity, target.inodes.net, target.inodes.ipc, target.inodes.uts, seenAt, seenAt],
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new Error(`namespace ${target.identity} upsert returned no id`);
  return id;
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { KernelEventBurst } from '../domain/kernel-events/coalesce-kernel-events.js';
import { KERNEL_SIGNATURES } from '../domain/kernel-events/kernel-signatures.js';
import type { KmsgCursor } from '../domain/kernel-events/plan-kmsg-start.js';
import type { StoredKernelEvent } from '../domain/kernel-events/stored-kernel-event.js';
import { namespaceByNetInodeSql } from './namespace-by-net-inode.js';
import { WriteLock } from './write-lock.js';
import { writeTransaction } from './write-transaction.js';

interface EventRow {
  id: number;
  signature: string;
  key: string;
  namespace_id: number | null;
  net_inode: number | null;
  first_at: number;
  last_at: number;
  count: number;
  suppressed: number;
  sample_line: string;
  first_seq: number;
  last_seq: number;
}

const NET_LIMITED = new Set(KERNEL_SIGNATURES.filter((s) => s.limiter === 'net').map((s) => s.id));
const RESOLVE = namespaceByNetInodeSql('?', '?');

/** Kernel events and the kmsg cursor; every write is one transaction under the WriteLock. */
@Injectable()
export class KernelEventWriter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
  ) {}

  async loadCursor(): Promise<KmsgCursor | null> {
    const rows: { boot_id: string; last_seq: number }[] = await this.dataSource.query(
      `SELECT "boot_id", "last_seq" FROM "kmsg_cursor" WHERE "id" = 1`,
    );
    const row = rows[0];
    return row ? { bootId: row.boot_id, lastSeq: row.last_seq } : null;
  }

  /** The latest burst per signature, key and namespace of this boot whose last line is not before `since`. */
  async loadOpenBursts(bootId: string, since: number): Promise<KernelEventBurst[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT * FROM "kernel_events" WHERE "id" IN (
         SELECT max("id") FROM "kernel_events" WHERE "boot_id" = ? GROUP BY "signature", "key", "net_inode")
       AND "last_at" >= ?`,
      [bootId, since],
    );
    return rows.map((r) => ({
      storedId: r.id,
      signature: r.signature,
      key: r.key,
      netInode: r.net_inode,
      limiter: NET_LIMITED.has(r.signature) ? 'net' : 'other',
      firstAt: r.first_at,
      lastAt: r.last_at,
      count: r.count,
      suppressed: r.suppressed,
      sampleLine: r.sample_line,
      firstSeq: r.first_seq,
      lastSeq: r.last_seq,
    }));
  }

  /**
   * Stores the changed bursts and moves the cursor in one transaction. Returns the committed rows, in the
   * order of `changed`; the ids of new bursts are keyed by the burst object. `written` runs inside the
   * transaction with the rows stored (when there are any), for the producer's durable event.
   */
  async write(
    bootId: string,
    changed: readonly KernelEventBurst[],
    lastSeq: number,
    now: number,
    written?: (em: EntityManager, stored: readonly StoredKernelEvent[]) => Promise<void>,
  ): Promise<{ stored: StoredKernelEvent[]; ids: Map<KernelEventBurst, number> }> {
    return writeTransaction(this.lock, this.dataSource, async (em) => {
      const stored: StoredKernelEvent[] = [];
      const ids = new Map<KernelEventBurst, number>();
      for (const burst of changed) {
        const row = burst.storedId === null ? await insert(em, bootId, burst) : await update(em, burst);
        ids.set(burst, row.id);
        stored.push(toStored(row, burst.storedId === null));
      }
      await em.query(
        `INSERT INTO "kmsg_cursor" ("id", "boot_id", "last_seq", "updated_at") VALUES (1, ?, ?, ?)
         ON CONFLICT ("id") DO UPDATE SET "boot_id" = excluded."boot_id", "last_seq" = excluded."last_seq",
           "updated_at" = excluded."updated_at"`,
        [bootId, lastSeq, now],
      );
      if (stored.length > 0) await written?.(em, stored);
      return { stored, ids };
    });
  }
}

async function insert(em: EntityManager, bootId: string, b: KernelEventBurst): Promise<EventRow> {
  const rows: EventRow[] = await em.query(
    `INSERT INTO "kernel_events" ("signature", "key", "namespace_id", "net_inode", "first_at", "last_at", "count",
       "suppressed", "sample_line", "first_seq", "last_seq", "boot_id")
     VALUES (?, ?, ${RESOLVE}, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    [
      b.signature,
      b.key,
      b.netInode,
      b.firstAt,
      b.netInode,
      b.firstAt,
      b.lastAt,
      b.count,
      b.suppressed,
      b.sampleLine,
      b.firstSeq,
      b.lastSeq,
      bootId,
    ],
  );
  const row = rows[0];
  if (!row) throw new Error('kernel_events insert returned no row');
  return row;
}

async function update(em: EntityManager, b: KernelEventBurst): Promise<EventRow> {
  const rows: EventRow[] = await em.query(
    `UPDATE "kernel_events" SET "last_at" = ?, "count" = ?, "suppressed" = ?, "last_seq" = ?,
       "namespace_id" = coalesce("namespace_id", ${RESOLVE})
     WHERE "id" = ? RETURNING *`,
    [b.lastAt, b.count, b.suppressed, b.lastSeq, b.netInode, b.firstAt, b.storedId],
  );
  const row = rows[0];
  if (!row) throw new Error(`kernel_events row ${b.storedId} vanished`);
  return row;
}

function toStored(row: EventRow, created: boolean): StoredKernelEvent {
  return {
    id: row.id,
    created,
    signature: row.signature,
    key: row.key,
    namespaceId: row.namespace_id,
    netInode: row.net_inode,
    firstAt: row.first_at,
    lastAt: row.last_at,
    count: row.count,
    suppressed: row.suppressed,
    sampleLine: row.sample_line,
    firstSeq: row.first_seq,
    lastSeq: row.last_seq,
  };
}

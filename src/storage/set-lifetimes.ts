import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { LivingSet } from '../domain/namespaces/match-set-lifetimes.js';

/** What a snapshot records about a set's lifetime (migrations/1764470000000-namespace-lifetimes.ts). */
export type LifetimeFacts =
  | {
      readonly evidence: readonly string[];
      /** When a new lifetime began (ignored for a set that continues). */
      readonly startedAt: number;
      /** The identity of the living set whose inode numbers this one reused, if any. */
      readonly replaces: string | null;
    }
  | { readonly endedAt: number };

/** Namespace-set lifetimes: the living sets with their evidence, and the identity of a new lifetime. */
@Injectable()
export class SetLifetimes {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every set not yet ended, with its evidence as last seen. */
  async living(): Promise<LivingSet[]> {
    const rows: { identity: string; evidence: string | null; last_seen_at: number }[] =
      await this.dataSource.query(
        `SELECT "identity", "evidence", "last_seen_at" FROM "namespaces" WHERE "ended_at" IS NULL`,
      );
    return rows.map((r) => ({
      identity: r.identity,
      evidence: r.evidence === null ? null : (JSON.parse(r.evidence) as string[]),
      lastSeenAt: r.last_seen_at,
    }));
  }

  /** The highest lifetime ordinal stored for these inode numbers (`I` is 1, `I~2` is 2…); 0 when none. */
  async lastOrdinalOf(inodeIdentity: string): Promise<number> {
    const rows: { identity: string }[] = await this.dataSource.query(
      // Two seeks on ux_namespaces_identity: the identity itself, and the range `I~` … `I~\u007f` ('~' is 0x7e).
      `SELECT "identity" FROM "namespaces"
        WHERE "identity" = ? OR ("identity" > ? || '~' AND "identity" < ? || char(127))`,
      [inodeIdentity, inodeIdentity, inodeIdentity],
    );
    return Math.max(0, ...rows.map((r) => (r.identity === inodeIdentity ? 1 : ordinalOf(r.identity))));
  }
}

function ordinalOf(identity: string): number {
  const ordinal = /~(\d+)$/.exec(identity)?.[1];
  return ordinal === undefined ? 0 : Number(ordinal);
}

/**
 * Inside the snapshot's transaction, after the set's row is written: a living set keeps its evidence as seen
 * now; a new one also gets its start, and the set whose numbers it reused ends then, taking with it no kernel
 * event from after that start (those were attributed to it while the reuse was not yet known).
 */
export async function recordLifetime(
  em: EntityManager,
  namespaceId: number,
  facts: LifetimeFacts | undefined,
  vanished: boolean,
  takenAt: number,
): Promise<void> {
  if (vanished) {
    const endedAt = facts && 'endedAt' in facts ? facts.endedAt : takenAt;
    await em.query(`UPDATE "namespaces" SET "ended_at" = ? WHERE "id" = ?`, [endedAt, namespaceId]);
    return;
  }
  if (!facts || 'endedAt' in facts) return;
  await em.query(
    `UPDATE "namespaces" SET "evidence" = ?, "started_at" = coalesce("started_at", ?), "ended_at" = NULL
      WHERE "id" = ?`,
    [JSON.stringify(facts.evidence), facts.startedAt, namespaceId],
  );
  if (facts.replaces === null) return;
  await em.query(
    `UPDATE "kernel_events" SET "namespace_id" = ?
      WHERE "namespace_id" = (SELECT "id" FROM "namespaces" WHERE "identity" = ?) AND "first_at" >= ?`,
    [namespaceId, facts.replaces, facts.startedAt],
  );
}

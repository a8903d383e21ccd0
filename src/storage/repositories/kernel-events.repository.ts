import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { BurstMagnitude } from '../../domain/kernel-events/burst-magnitude.js';
import { burstMagnitudes } from '../burst-magnitudes.js';
import { namespaceByNetInodeSql } from '../namespace-by-net-inode.js';
import type { NamespaceRecord } from './namespaces.repository.js';

export interface KernelEventRow {
  id: number;
  signature: string;
  key: string;
  net_inode: number | null;
  first_at: number;
  last_at: number;
  count: number;
  suppressed: number;
  sample_line: string;
  eff_id: number | null;
  identity: string | null;
  ns_net: number | null;
  ns_first: number | null;
  ns_last: number | null;
}

export interface KernelEventFilter {
  readonly from: number;
  readonly to: number;
  readonly signature: string | undefined;
  readonly namespace: NamespaceRecord | null;
  /** Rows asked for (one more than the page, to tell whether it was truncated). */
  readonly rows: number;
}

/**
 * Stored kernel events. An event's namespace set is the stored one or, when no snapshot had seen its netns
 * yet at write time, the set with that net inode alive closest to the event.
 */
@Injectable()
export class KernelEventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Events overlapping [from, to], newest first. */
  list({ from, to, signature, namespace, rows }: KernelEventFilter): Promise<KernelEventRow[]> {
    const params: unknown[] = [to, from];
    if (signature) params.push(signature);
    if (namespace) params.push(namespace.id, namespace.netInode, namespace.lastSeenAt, namespace.firstSeenAt);
    return this.dataSource.query(
      `WITH ev AS (
         SELECT e.*, coalesce(e."namespace_id", ${namespaceByNetInodeSql('e."net_inode"', 'e."first_at"')}) AS "eff_id"
           FROM "kernel_events" e
          WHERE e."first_at" <= ? AND e."last_at" >= ? ${signature ? 'AND e."signature" = ?' : ''})
       SELECT ev.*, n."identity", n."net_inode" AS "ns_net", n."first_seen_at" AS "ns_first", n."last_seen_at" AS "ns_last"
         FROM ev LEFT JOIN "namespaces" n ON n."id" = ev."eff_id"
        ${namespace ? 'WHERE ev."eff_id" = ? OR (ev."net_inode" = ? AND n."first_seen_at" <= ? AND n."last_seen_at" >= ?)' : ''}
        ORDER BY ev."first_at" DESC, ev."id" DESC LIMIT ?`,
      [...params, rows],
    );
  }

  /** The drop-counter magnitude of each event (by row id) whose set and signature have one. */
  magnitudesOf(rows: readonly KernelEventRow[]): Promise<Map<number, BurstMagnitude>> {
    return burstMagnitudes(
      this.dataSource,
      rows.map((r) => ({
        id: r.id,
        signature: r.signature,
        namespaceId: r.eff_id,
        firstAt: r.first_at,
        lastAt: r.last_at,
      })),
    );
  }

  /** Pod (`namespace/name`), container and netns names in the network namespace of each set, among sets alive at the same time. */
  async ownersOf(rows: readonly KernelEventRow[]): Promise<Map<number, string[]>> {
    const byId = new Map<number, string[]>();
    for (const row of rows) {
      if (row.eff_id === null || byId.has(row.eff_id) || row.ns_net === null) continue;
      const owners: { name: string }[] = await this.dataSource.query(
        `SELECT DISTINCT o."name" FROM "owners" o JOIN "namespaces" m ON m."id" = o."namespace_id"
          WHERE m."net_inode" = ? AND m."first_seen_at" <= ? AND m."last_seen_at" >= ?
            AND o."kind" IN ('pod', 'container', 'netns')
          ORDER BY o."name"`,
        [row.ns_net, row.ns_last, row.ns_first],
      );
      byId.set(
        row.eff_id,
        owners.map((o) => o.name),
      );
    }
    return byId;
  }
}

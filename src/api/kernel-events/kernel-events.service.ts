import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock.js';
import { KERNEL_SIGNATURE_IDS, KERNEL_SIGNATURES } from '../../domain/kernel-events/kernel-signatures.js';
import { namespaceByNetInodeSql } from '../../storage/namespace-by-net-inode.js';
import { resolveNamespace } from '../params/namespace-resolver.js';
import { enumParam, intParam, orderedWindow, timeParam } from '../params/request-params.js';
import type { KernelEventPage, KernelEventView } from './kernel-event.views.js';
import type { KernelEventsQuery } from './kernel-events.query.js';

interface EventRow {
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

const RELATED = new Map(KERNEL_SIGNATURES.map((s) => [s.id, [...s.relatedKeys]]));

/**
 * Kernel events from the database only. An event's namespace set is the stored one or, when no snapshot had
 * seen its netns yet at write time, the set with that net inode alive closest to the event.
 */
@Injectable()
export class KernelEventsQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(query: KernelEventsQuery): Promise<KernelEventPage> {
    const now = this.clock.now();
    const from = timeParam('from', query.from, now) ?? 0;
    const to = timeParam('to', query.to, now) ?? Number.MAX_SAFE_INTEGER;
    orderedWindow(from, to);
    const signature = enumParam('signature', query.signature, KERNEL_SIGNATURE_IDS);
    const limit = intParam('limit', query.limit, 1, 5000) ?? 500;
    const namespace =
      query.namespace === undefined || query.namespace === ''
        ? null
        : await resolveNamespace(this.dataSource, query.namespace);
    const params: unknown[] = [to, from];
    if (signature) params.push(signature);
    if (namespace) params.push(namespace.id, namespace.netInode, namespace.lastSeenAt, namespace.firstSeenAt);
    const rows: EventRow[] = await this.dataSource.query(
      `WITH ev AS (
         SELECT e.*, coalesce(e."namespace_id", ${namespaceByNetInodeSql('e."net_inode"', 'e."first_at"')}) AS "eff_id"
           FROM "kernel_events" e
          WHERE e."first_at" <= ? AND e."last_at" >= ? ${signature ? 'AND e."signature" = ?' : ''})
       SELECT ev.*, n."identity", n."net_inode" AS "ns_net", n."first_seen_at" AS "ns_first", n."last_seen_at" AS "ns_last"
         FROM ev LEFT JOIN "namespaces" n ON n."id" = ev."eff_id"
        ${namespace ? 'WHERE ev."eff_id" = ? OR (ev."net_inode" = ? AND n."first_seen_at" <= ? AND n."last_seen_at" >= ?)' : ''}
        ORDER BY ev."first_at" DESC, ev."id" DESC LIMIT ?`,
      [...params, limit + 1],
    );
    const page = rows.slice(0, limit);
    const owners = await this.ownersOf(page);
    return {
      items: page.map((row) => toView(row, owners.get(row.eff_id ?? -1) ?? [])),
      truncated: rows.length > limit,
    };
  }

  /** Container and netns names in the network namespace of each set, among sets alive at the same time. */
  private async ownersOf(rows: readonly EventRow[]): Promise<Map<number, string[]>> {
    const byId = new Map<number, string[]>();
    for (const row of rows) {
      if (row.eff_id === null || byId.has(row.eff_id) || row.ns_net === null) continue;
      const owners: { name: string }[] = await this.dataSource.query(
        `SELECT DISTINCT o."name" FROM "owners" o JOIN "namespaces" m ON m."id" = o."namespace_id"
          WHERE m."net_inode" = ? AND m."first_seen_at" <= ? AND m."last_seen_at" >= ?
            AND o."kind" IN ('container', 'netns')
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

function toView(row: EventRow, owners: string[]): KernelEventView {
  return {
    id: row.id,
    signature: row.signature,
    key: row.key,
    relatedKeys: RELATED.get(row.signature) ?? [],
    namespace: row.identity,
    namespaceId: row.eff_id,
    netInode: row.net_inode,
    owners,
    firstAt: new Date(row.first_at).toISOString(),
    lastAt: new Date(row.last_at).toISOString(),
    count: row.count,
    suppressed: row.suppressed,
    sampleLine: row.sample_line,
  };
}

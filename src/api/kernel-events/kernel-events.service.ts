import { Injectable } from '@nestjs/common';
import type { BurstMagnitude } from '../../domain/kernel-events/burst-magnitude.js';
import { KERNEL_SIGNATURES } from '../../domain/kernel-events/kernel-signatures.js';
import {
  type KernelEventRow,
  KernelEventsRepository,
} from '../../storage/repositories/kernel-events.repository.js';
import { NamespaceResolver } from '../params/namespace-resolver.js';
import { orderedWindow } from '../params/request-params.js';
import type { KernelEventPage, KernelEventView } from './kernel-event.views.js';
import type { KernelEventsQuery } from './kernel-events.query.js';

const RELATED = new Map(KERNEL_SIGNATURES.map((s) => [s.id, [...s.relatedKeys]]));

/**
 * Kernel events from the database only. An event's namespace set is the stored one or, when no snapshot had
 * seen its netns yet at write time, the set with that net inode alive closest to the event.
 */
@Injectable()
export class KernelEventsQueryService {
  constructor(
    private readonly repository: KernelEventsRepository,
    private readonly resolver: NamespaceResolver,
  ) {}

  async list(query: KernelEventsQuery): Promise<KernelEventPage> {
    const from = query.from ?? 0;
    const to = query.to ?? Number.MAX_SAFE_INTEGER;
    orderedWindow(from, to);
    const limit = query.limit ?? 500;
    const namespace = await this.resolver.optional(query.namespace);
    const rows = await this.repository.list({
      from,
      to,
      signature: query.signature,
      namespace,
      rows: limit + 1,
    });
    const page = rows.slice(0, limit);
    const owners = await this.repository.ownersOf(page);
    const magnitudes = await this.repository.magnitudesOf(page);
    return {
      items: page.map((row) =>
        toView(row, owners.get(row.eff_id ?? -1) ?? [], magnitudes.get(row.id) ?? null),
      ),
      truncated: rows.length > limit,
    };
  }
}

function toView(row: KernelEventRow, owners: string[], magnitude: BurstMagnitude | null): KernelEventView {
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
    drops: magnitude && {
      from: new Date(magnitude.from).toISOString(),
      to: new Date(magnitude.to).toISOString(),
      counters: { ...magnitude.counters },
    },
  };
}

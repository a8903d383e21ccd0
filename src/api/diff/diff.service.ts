import { Inject, Injectable } from '@nestjs/common';
import { BadParameterError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import type { ValueDifferenceKind } from '../../domain/history/diff-value-maps.js';
import { pageOf } from '../../domain/paging/key-page.js';
import { BootsRepository } from '../../storage/repositories/boots.repository.js';
import { type DiffRow, DiffRepository } from '../../storage/repositories/diff.repository.js';
import { KEY_PAGE_MAX, keyPageOf } from '../params/key-page.query.js';
import { NamespaceResolver } from '../params/namespace-resolver.js';
import { orderedWindow } from '../params/request-params.js';
import type { DiffQuery } from './diff.query.js';
import { rebootView } from '../drift/reboot-view.js';
import type { DiffResult } from './diff.views.js';

/**
 * Time-vs-time diff. Only keys whose intervals start or end inside (from, to] can differ, so the query
 * touches the changes of the window, not the whole state; the comparison, order and paging happen in SQL.
 */
@Injectable()
export class DiffService {
  constructor(
    private readonly repository: DiffRepository,
    private readonly resolver: NamespaceResolver,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly boots: BootsRepository,
  ) {}

  async diffTimes(query: DiffQuery): Promise<DiffResult> {
    const { from } = query;
    if (from === undefined)
      throw new BadParameterError('from', 'required (ISO-8601, epoch ms, or relative like -1h)');
    const to = query.to ?? this.clock.now();
    orderedWindow(from, to);
    const namespace = await this.resolver.resolve(query.namespace);
    const page = keyPageOf(query);
    const rows = await this.repository.diffPage(namespace.id, from, to, page);
    const { items, nextCursor } = pageOf(rows, page, (r) => r.name);
    const entries = items.map((r) => ({
      key: r.name,
      scope: r.scope,
      kind: kindOf(r),
      before: r.had_before ? r.before : null,
      after: r.had_after ? r.after : null,
      changedAt: new Date(r.changed_at || to).toISOString(),
      changedAfter: r.changed_after === null ? null : new Date(r.changed_after).toISOString(),
    }));
    return {
      namespace: namespace.identity,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      count: entries.length,
      entries,
      nextCursor,
      reboots: (await this.boots.reboots(from, to)).map(rebootView),
    };
  }
}

/** Every page of a diff as one answer (the CLI prints whole diffs). */
export async function wholeDiff(diffs: DiffService, query: DiffQuery): Promise<DiffResult> {
  const first = await diffs.diffTimes({ ...query, limit: KEY_PAGE_MAX });
  const entries = [...first.entries];
  for (let cursor = first.nextCursor; cursor !== null;) {
    const next = await diffs.diffTimes({
      ...query,
      from: Date.parse(first.from),
      to: Date.parse(first.to),
      limit: KEY_PAGE_MAX,
      cursor,
    });
    entries.push(...next.entries);
    cursor = next.nextCursor;
  }
  return { ...first, count: entries.length, entries, nextCursor: null };
}

function kindOf(row: DiffRow): ValueDifferenceKind {
  if (!row.had_before) return 'added';
  return row.had_after ? 'changed' : 'removed';
}

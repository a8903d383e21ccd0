import { Inject, Injectable } from '@nestjs/common';
import { BadParameterError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import type { ValueDifferenceKind } from '../../domain/history/diff-value-maps.js';
import { groupInterfaceKeys, type KeySides } from '../../domain/history/group-interface-keys.js';
import { type KeyPage, pageOf } from '../../domain/paging/key-page.js';
import { BootsRepository } from '../../storage/repositories/boots.repository.js';
import { type DiffRow, DiffRepository } from '../../storage/repositories/diff.repository.js';
import { wantsRawInterfaces } from '../params/interfaces.query.js';
import { KEY_PAGE_MAX, keyPageOf } from '../params/key-page.query.js';
import { NamespaceResolver } from '../params/namespace-resolver.js';
import { orderedWindow } from '../params/request-params.js';
import type { DiffQuery } from './diff.query.js';
import { rebootView } from '../drift/reboot-view.js';
import type { DiffEntry, DiffInterfaceEntry, DiffResult } from './diff.views.js';

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
    const { items, nextCursor, interfaces } = wantsRawInterfaces(query.interfaces)
      ? await this.rawPage(namespace.id, from, to, page)
      : await this.groupedPage(namespace.id, from, to, page);
    const entries = items.map((r) => toEntry(r, to));
    return {
      namespace: namespace.identity,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      count: entries.length,
      entries,
      interfaces,
      nextCursor,
      reboots: (await this.boots.reboots(from, to)).map(rebootView),
    };
  }

  private async rawPage(namespaceId: number, from: number, to: number, page: KeyPage) {
    const rows = await this.repository.diffPage(namespaceId, from, to, page);
    return { ...pageOf(rows, page, (r) => r.name), interfaces: [] };
  }

  /**
   * Every differing key of the window, the keys of network devices folded into one entry per device (given
   * with the first page); the other keys paged as in raw mode. Reads the whole difference, a page of
   * KEY_PAGE_MAX keys at a time, since one device's keys are spread over four branches of the key order.
   */
  private async groupedPage(namespaceId: number, from: number, to: number, page: KeyPage) {
    const all: DiffRow[] = [];
    for (let cursor = ''; ;) {
      const rows = await this.repository.diffPage(namespaceId, from, to, { cursor, limit: KEY_PAGE_MAX });
      all.push(...rows.slice(0, KEY_PAGE_MAX));
      const last = rows[KEY_PAGE_MAX - 1];
      if (rows.length <= KEY_PAGE_MAX || last === undefined) break;
      cursor = last.name;
    }
    const grouped = groupInterfaceKeys(all, (r) => r.name, sidesOf);
    const after = grouped.keys.filter((r) => r.name > page.cursor).slice(0, page.limit + 1);
    const { items, nextCursor } = pageOf(after, page, (r) => r.name);
    const interfaces: DiffInterfaceEntry[] =
      page.cursor !== ''
        ? []
        : grouped.interfaces.map((i) => ({
            interface: i.name,
            kind: i.kind,
            keyCount: i.keyCount,
            changedAt: new Date(Math.max(...i.members.map((r) => r.changed_at || to))).toISOString(),
            keys: i.keys.map((r) => toEntry(r, to)),
          }));
    return { items, nextCursor, interfaces };
  }
}

function toEntry(r: DiffRow, to: number): DiffEntry {
  return {
    key: r.name,
    scope: r.scope,
    kind: kindOf(r),
    before: r.had_before ? r.before : null,
    after: r.had_after ? r.after : null,
    changedAt: new Date(r.changed_at || to).toISOString(),
    changedAfter: r.changed_after === null ? null : new Date(r.changed_after).toISOString(),
  };
}

function sidesOf(row: DiffRow): KeySides {
  if (!row.had_before) return 'second';
  return row.had_after ? 'both' : 'first';
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

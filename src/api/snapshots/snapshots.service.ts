import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import { groupInterfaceKeysPerSet, type KeySides } from '../../domain/history/group-interface-keys.js';
import {
  type SnapshotChangeRow,
  type SnapshotRow,
  SnapshotsRepository,
} from '../../storage/repositories/snapshots.repository.js';
import { wantsRawInterfaces } from '../params/interfaces.query.js';
import { KEY_PAGE_DEFAULT, KEY_PAGE_MAX } from '../params/key-page.query.js';
import { intParam, orderedWindow, timeParam } from '../params/request-params.js';
import type { SnapshotChangesQuery } from './snapshot-changes.query.js';
import type { SnapshotListQuery } from './snapshot-list.query.js';
import type {
  SnapshotChange,
  SnapshotDetail,
  SnapshotInterfaceChange,
  SnapshotPage,
  SnapshotView,
} from './snapshot.views.js';

interface ChangesPage {
  readonly changes: SnapshotChange[];
  readonly interfaces: SnapshotInterfaceChange[];
  readonly nextCursor: string | null;
}

/** Reads snapshots and their recorded changes from the database only. */
@Injectable()
export class SnapshotsQueryService {
  constructor(
    private readonly snapshots: SnapshotsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(query: SnapshotListQuery): Promise<SnapshotPage> {
    const now = this.clock.now();
    const from = timeParam('from', query.from, now) ?? 0;
    const to = timeParam('to', query.to, now) ?? Number.MAX_SAFE_INTEGER;
    orderedWindow(from, to);
    const limit = intParam('limit', query.limit, 1, 1000) ?? 100;
    const cursor = intParam('cursor', query.cursor, 1, Number.MAX_SAFE_INTEGER) ?? Number.MAX_SAFE_INTEGER;
    const rows = await this.snapshots.list(from, to, cursor, limit + 1);
    const items = rows.slice(0, limit).map(toView);
    const nextCursor = rows.length > limit ? String(items[items.length - 1]?.id) : null;
    return { items, nextCursor };
  }

  /**
   * The snapshot and one page of its changes (the first, unless `query.cursor` says otherwise). By default
   * the keys of network devices are one entry per set and device in `interfaces` (on the first page);
   * `interfaces=raw` lists them among the changes.
   */
  async get(id: number, query: SnapshotChangesQuery = {}): Promise<SnapshotDetail> {
    const limit = intParam('limit', query.limit, 1, KEY_PAGE_MAX) ?? KEY_PAGE_DEFAULT;
    const cursor = intParam('cursor', query.cursor, 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const row = await this.snapshots.find(id);
    if (!row) throw new NotFoundError(`snapshot ${id} does not exist`);
    const page = wantsRawInterfaces(query.interfaces)
      ? await this.rawPage(id, cursor, limit)
      : await this.groupedPage(id, cursor, limit);
    return {
      ...toView(row),
      changes: page.changes,
      interfaces: page.interfaces,
      nextCursor: page.nextCursor,
    };
  }

  private async rawPage(id: number, cursor: number, limit: number): Promise<ChangesPage> {
    return { ...changePageOf(await this.snapshots.changePage(id, cursor, limit + 1), limit), interfaces: [] };
  }

  /**
   * Reads every change of the snapshot (a device's keys are spread over its recording order), folds the
   * device keys of each set, and pages the other changes by position as the raw form does.
   */
  private async groupedPage(id: number, cursor: number, limit: number): Promise<ChangesPage> {
    const all: SnapshotChangeRow[] = [];
    for (let after = 0; ;) {
      const rows = await this.snapshots.changePage(id, after, KEY_PAGE_MAX + 1);
      all.push(...rows.slice(0, KEY_PAGE_MAX));
      const last = rows[KEY_PAGE_MAX - 1];
      if (rows.length <= KEY_PAGE_MAX || last === undefined) break;
      after = last.position;
    }
    const grouped = groupInterfaceKeysPerSet(
      all,
      (r) => r.namespace,
      (r) => r.key,
      sidesOf,
    );
    const rest = grouped.keys.filter((r) => r.position > cursor).slice(0, limit + 1);
    const interfaces =
      cursor !== 0
        ? []
        : grouped.interfaces.map((device) => ({
            namespace: device.set,
            interface: device.name,
            kind: device.kind,
            keyCount: device.keyCount,
            keys: device.keys.map(toChange),
          }));
    return { ...changePageOf(rest, limit), interfaces };
  }
}

function changePageOf(rows: readonly SnapshotChangeRow[], limit: number): Omit<ChangesPage, 'interfaces'> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    changes: page.map(toChange),
    nextCursor: rows.length > limit && last ? String(last.position) : null,
  };
}

function sidesOf(row: SnapshotChangeRow): KeySides {
  if (!row.closed) return 'second';
  return row.opened ? 'both' : 'first';
}

/** Every change of a snapshot, following the pages (the CLI prints them all, as it does a diff). */
export async function wholeSnapshot(snapshots: SnapshotsQueryService, id: number): Promise<SnapshotDetail> {
  const limit = String(KEY_PAGE_MAX);
  const first = await snapshots.get(id, { limit });
  const changes = [...first.changes];
  // `interfaces` comes with the first page only.
  for (let cursor = first.nextCursor; cursor !== null;) {
    const next = await snapshots.get(id, { limit, cursor });
    changes.push(...next.changes);
    cursor = next.nextCursor;
  }
  return { ...first, changes, nextCursor: null };
}

function toChange(row: SnapshotChangeRow): SnapshotChange {
  return {
    namespace: row.namespace,
    key: row.key,
    scope: row.scope,
    kind: !row.closed ? 'added' : row.opened ? 'changed' : 'removed',
    old: row.closed ? row.old_value : null,
    new: row.opened ? row.new_value : null,
  };
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

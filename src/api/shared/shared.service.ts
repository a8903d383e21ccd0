import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock.js';
import { LIMIT_METRICS } from '../../domain/limits/limit-metrics.js';
import { resolveNamespace } from '../params/namespace-resolver.js';
import { timeParam } from '../params/request-params.js';
import { loadCatalog, snapshotTimeAt, stateAt } from '../queries/state-at.js';
import type { SharedKeyView } from './shared.views.js';

export type { SharedKeyView };

/** Global keys visible inside the containers and namespaces of this host: the shared limits. */
@Injectable()
export class SharedService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async shared(
    rawAt: string | undefined,
  ): Promise<{ at: string; namespaces: number; items: SharedKeyView[] }> {
    const at = timeParam('at', rawAt, this.clock.now()) ?? this.clock.now();
    const seenAt = (await snapshotTimeAt(this.dataSource, at)) ?? at;
    const host = await resolveNamespace(this.dataSource, 'host');
    const [catalog, hostState, sets] = await Promise.all([
      loadCatalog(this.dataSource),
      stateAt(this.dataSource, host.id, at),
      this.dataSource.query(
        `SELECT "id", "net_inode" AS "net" FROM "namespaces" WHERE "identity" <> 'host' AND "first_seen_at" <= ? AND "last_seen_at" >= ?`,
        [seenAt, seenAt],
      ) as Promise<{ id: number; net: number | null }[]>,
    ]);
    const seenIn = await this.netKeysSeen(
      sets.filter((s) => s.net !== host.netInode).map((s) => s.id),
      at,
    );
    const sharingNet = sets.filter((s) => s.net === host.netInode).length;
    const items: SharedKeyView[] = [];
    for (const [key, entry] of catalog) {
      if (
        entry.scope !== 'global' ||
        entry.volatile ||
        entry.childVisibility === 'absent' ||
        !hostState.has(key)
      )
        continue;
      const namespacesSeeing = key.startsWith('net.') ? (seenIn.get(key) ?? 0) + sharingNet : sets.length;
      if (namespacesSeeing === 0) continue;
      items.push({
        key,
        childVisibility: entry.childVisibility,
        value: hostState.get(key) ?? null,
        namespacesSeeing,
        usageMetric:
          LIMIT_METRICS.find((m) => m.limitKey === key && !m.metric.endsWith('.total'))?.metric ?? null,
      });
    }
    items.sort((x, y) => (x.key < y.key ? -1 : 1));
    return { at: new Date(at).toISOString(), namespaces: sets.length, items };
  }

  /** How many of the given sets recorded their own reading of each key at `at`. */
  private async netKeysSeen(ids: readonly number[], at: number): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows: { name: string; n: number }[] = await this.dataSource.query(
      `SELECT k."name", count(*) AS "n" FROM "setting_values" v JOIN "keys" k ON k."id" = v."key_id"
        WHERE v."namespace_id" IN (${ids.map(() => '?').join(', ')}) AND k."scope" = 'global'
          AND v."valid_from" <= ? AND (v."valid_to" IS NULL OR v."valid_to" > ?)
        GROUP BY k."name"`,
      [...ids, at, at],
    );
    return new Map(rows.map((r) => [r.name, r.n]));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import type { Bundle } from '../../domain/baselines/bundle-types.js';
import { composeBundle, type NamespaceState } from '../../domain/baselines/compose-bundle.js';
import { loadOwners } from '../namespaces/owners.query.js';
import { resolveNamespace } from '../params/namespace-resolver.js';
import { enumParam, timeParam } from '../params/request-params.js';
import { snapshotTimeAt } from '../queries/state-at.js';
import type { ExportQuery } from './baseline.queries.js';
import { loadBundleCatalog, valuesAt } from './export-values.query.js';

interface SetRow {
  id: number;
  identity: string;
  kind: string;
}

/** The portable bundle of one instant, from the database only. */
@Injectable()
export class ExportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async export(query: ExportQuery): Promise<Bundle> {
    const now = this.clock.now();
    const at = timeParam('at', query.at, now) ?? now;
    const all = enumParam('namespaces', query.namespaces, ['host', 'all']) === 'all';
    const host = await resolveNamespace(this.dataSource, 'host');
    const seenAt = await snapshotTimeAt(this.dataSource, at);
    if (seenAt === null)
      throw new NotFoundError(`no snapshot was taken at or before ${new Date(at).toISOString()}`);
    const sets: SetRow[] = all
      ? await this.dataSource.query(
          `SELECT "id", "identity", "kind" FROM "namespaces"
            WHERE "first_seen_at" <= ? AND "last_seen_at" >= ? AND "id" <> ? ORDER BY "identity"`,
          [seenAt, seenAt, host.id],
        )
      : [];
    const ids = sets.map((s) => s.id);
    const [catalog, values, owners] = await Promise.all([
      loadBundleCatalog(this.dataSource),
      valuesAt(this.dataSource, [host.id, ...ids], at),
      loadOwners(this.dataSource, ids, seenAt),
    ]);
    const namespaces: NamespaceState[] = sets.map((set) => ({
      identity: set.identity,
      kind: set.kind,
      owners: (owners.get(set.id) ?? []).map((o) => ({
        kind: o.kind,
        ref: o.ref,
        name: o.name,
        image: o.image,
        declaredSysctls: o.declaredSysctls,
      })),
      values: values.get(set.id) ?? new Map(),
    }));
    return composeBundle({
      exportedAt: now,
      at,
      catalog,
      host: values.get(host.id) ?? new Map(),
      ...(all ? { namespaces } : {}),
    });
  }
}

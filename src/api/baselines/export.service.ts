import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import type { Bundle } from '../../domain/baselines/bundle-types.js';
import { composeBundle, type NamespaceState } from '../../domain/baselines/compose-bundle.js';
import { NamespacesRepository } from '../../storage/repositories/namespaces.repository.js';
import { StateRepository } from '../../storage/repositories/state.repository.js';
import { NamespaceResolver } from '../params/namespace-resolver.js';
import type { ExportQuery } from './baseline.queries.js';

/** The portable bundle of one instant, from the database only. */
@Injectable()
export class ExportService {
  constructor(
    private readonly state: StateRepository,
    private readonly namespaces: NamespacesRepository,
    private readonly resolver: NamespaceResolver,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async export(query: ExportQuery): Promise<Bundle> {
    const now = this.clock.now();
    const at = query.at ?? now;
    const all = query.namespaces === 'all';
    const host = await this.resolver.host();
    const seenAt = await this.state.snapshotTimeAt(at);
    if (seenAt === null)
      throw new NotFoundError(`no snapshot was taken at or before ${new Date(at).toISOString()}`);
    const sets = all
      ? (await this.namespaces.aliveAt(seenAt))
          .filter((set) => set.id !== host.id)
          .sort((a, b) => (a.identity < b.identity ? -1 : 1))
      : [];
    const ids = sets.map((s) => s.id);
    const [catalog, values, owners] = await Promise.all([
      this.state.bundleCatalog(),
      this.state.valuesAt([host.id, ...ids], at),
      this.namespaces.owners(ids, seenAt),
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

import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock.js';
import { LIMIT_METRICS } from '../../domain/limits/limit-metrics.js';
import { NamespacesRepository } from '../../storage/repositories/namespaces.repository.js';
import { StateRepository } from '../../storage/repositories/state.repository.js';
import { NamespaceResolver } from '../params/namespace-resolver.js';
import type { SharedKeyView } from './shared.views.js';

export type { SharedKeyView };

/** Global keys visible inside the containers and namespaces of this host: the shared limits. */
@Injectable()
export class SharedService {
  constructor(
    private readonly state: StateRepository,
    private readonly namespaces: NamespacesRepository,
    private readonly resolver: NamespaceResolver,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async shared(
    requestedAt: number | undefined,
  ): Promise<{ at: string; namespaces: number; items: SharedKeyView[] }> {
    const at = requestedAt ?? this.clock.now();
    const seenAt = (await this.state.snapshotTimeAt(at)) ?? at;
    const host = await this.resolver.host();
    const [catalog, hostState, alive] = await Promise.all([
      this.state.catalog(),
      this.state.stateAt(host.id, at),
      this.namespaces.aliveAt(seenAt),
    ]);
    const sets = alive.filter((s) => s.identity !== 'host');
    const seenIn = await this.namespaces.globalKeysSeen(
      sets.filter((s) => s.netInode !== host.netInode).map((s) => s.id),
      at,
    );
    const sharingNet = sets.filter((s) => s.netInode === host.netInode).length;
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
}

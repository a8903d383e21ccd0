import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock.js';
import { isNetnsMetric, LIMIT_METRICS } from '../../domain/limits/limit-metrics.js';
import { type Holder, rankLimitPairs, type SampleAt } from '../../domain/limits/rank-limit-pairs.js';
import { NamespacesRepository } from '../../storage/repositories/namespaces.repository.js';
import { StateRepository } from '../../storage/repositories/state.repository.js';
import { UsageRepository } from '../../storage/repositories/usage.repository.js';
import { NamespaceResolver } from '../params/namespace-resolver.js';
import type { HolderView, LimitsResult } from './limit.views.js';
import { ReadingFreshnessReader } from './reading-freshness.reader.js';
import type { LimitsQuery } from './limits.queries.js';

const TOP_HOLDERS = 5;

/** GET /limits: every limit pair at one instant, from usage_samples alone. */
@Injectable()
export class LimitsService {
  constructor(
    private readonly usage: UsageRepository,
    private readonly state: StateRepository,
    private readonly namespaces: NamespacesRepository,
    private readonly resolver: NamespaceResolver,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly freshness: ReadingFreshnessReader,
  ) {}

  async limits(query: LimitsQuery): Promise<LimitsResult> {
    const at = query.at ?? this.clock.now();
    const focus = await this.resolver.optional(query.namespace);
    const seenAt = await this.state.snapshotTimeAt(at);
    const empty: LimitsResult = {
      at: new Date(at).toISOString(),
      snapshotAt: seenAt === null ? null : new Date(seenAt).toISOString(),
      namespace: focus?.identity ?? null,
      count: 0,
      items: [],
    };
    if (seenAt === null) return empty;
    const metrics = [
      ...new Set([...LIMIT_METRICS.map((m) => m.metric), ...(await this.usage.sampledMetrics())]),
    ];
    const rows = await this.usage.samplesAt(metrics, at, seenAt);
    const fresh = await this.freshness.of(
      rows.map((r) => ({ identity: r.identity, metric: r.metric, takenAt: r.taken_at })),
      seenAt,
    );
    const freshnessOf = new Map(rows.map((r, i) => [`${r.identity}\0${r.metric}`, fresh[i]]));
    const view = (holder: Holder, metric: string): HolderView => {
      const reading = freshnessOf.get(`${holder.namespace}\0${metric}`);
      return {
        ...holderView(holder),
        stale: reading?.stale ?? false,
        measuredAt: new Date(reading?.measuredAt ?? holder.at).toISOString(),
      };
    };
    const ids = [...new Set(rows.map((r) => r.namespace_id))];
    const sharers = await this.namespaces.netnsSharers(ids, seenAt, seenAt);
    const owners = await this.namespaces.owners([...ids, ...[...sharers.values()].flat()], seenAt);
    const ownersOf = (id: number): { kind: string; name: string }[] =>
      (owners.get(id) ?? []).map((o) => ({
        kind: o.kind,
        name: o.namespace !== null ? `${o.namespace}/${o.name}` : o.name, // a pod: <k8s-namespace>/<pod>
      }));
    const samples: SampleAt[] = rows.map((r) => ({
      namespace: r.identity,
      namespaceKind: r.kind,
      // A netns metric names every owner of the netns: those of the sets sharing it too (processes included).
      owners: [
        ...ownersOf(r.namespace_id).filter((o) => o.kind !== 'process'),
        ...(isNetnsMetric(r.metric) ? (sharers.get(r.namespace_id) ?? []).flatMap(ownersOf) : []),
      ],
      metric: r.metric,
      usage: r.usage,
      limit: r.limit_value,
      takenAt: r.taken_at,
    }));
    const items = rankLimitPairs(samples, focus?.identity, TOP_HOLDERS).map((pair) => ({
      ...view(pair, pair.metric),
      metric: pair.metric,
      kind: pair.kind,
      limitKey: pair.limitKey,
      place: pair.place,
      top: pair.top.map((holder) => view(holder, pair.metric)),
    }));
    return { ...empty, count: items.length, items };
  }
}

function holderView(holder: Holder): Omit<HolderView, 'stale' | 'measuredAt'> {
  return {
    namespace: holder.namespace,
    namespaceKind: holder.namespaceKind,
    owners: holder.owners,
    usage: holder.usage,
    limit: holder.limit,
    ratio: holder.ratio,
    at: new Date(holder.at).toISOString(),
  };
}

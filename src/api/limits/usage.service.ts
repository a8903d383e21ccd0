import { Inject, Injectable } from '@nestjs/common';
import { BadParameterError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import {
  isCounterMetric,
  isNetnsMetric,
  LIMIT_METRICS,
  limitKeyOfMetric,
} from '../../domain/limits/limit-metrics.js';
import {
  type NamespaceRecord,
  NamespacesRepository,
} from '../../storage/repositories/namespaces.repository.js';
import { StateRepository } from '../../storage/repositories/state.repository.js';
import { type SeriesSample, toStepSeries } from '../../domain/limits/step-series.js';
import { UsageRepository } from '../../storage/repositories/usage.repository.js';
import { NamespaceResolver } from '../params/namespace-resolver.js';
import { orderedWindow } from '../params/request-params.js';
import type { UsageResult } from './limit.views.js';
import { ReadingFreshnessReader } from './reading-freshness.reader.js';
import { DEFAULT_POINTS, type UsageQuery } from './limits.queries.js';

const DEFAULT_WINDOW_MS = 24 * 3_600_000;

/** GET /usage: one series over time, as steps, downsampled to at most `points` buckets. */
@Injectable()
export class UsageService {
  constructor(
    private readonly repository: UsageRepository,
    private readonly resolver: NamespaceResolver,
    private readonly namespaces: NamespacesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly state: StateRepository,
    private readonly freshness: ReadingFreshnessReader,
  ) {}

  async usage(query: UsageQuery): Promise<UsageResult> {
    const metric = await this.metricParam(query.metric);
    const to = query.to ?? this.clock.now();
    const from = query.from ?? to - DEFAULT_WINDOW_MS;
    orderedWindow(from, to);
    const points = query.points ?? DEFAULT_POINTS;
    const namespace = await this.resolver.resolve(query.namespace);
    const { rows, holder } = await this.seriesOf(metric, namespace, from, to);
    const samples: SeriesSample[] = rows
      .map((r) => ({ takenAt: r.taken_at, usage: r.usage, limit: r.limit_value }))
      .sort((a, b) => a.takenAt - b.takenAt);
    const counter = isCounterMetric(metric);
    const series = toStepSeries(samples, from, to, points, counter);
    return {
      metric,
      kind: counter ? 'counter' : 'level',
      limitKey: limitKeyOfMetric(metric) ?? null,
      namespace: namespace.identity,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      series: 'step',
      downsampled: series.downsampled,
      count: series.points.length,
      points: series.points.map((p) => ({ ...p, at: new Date(p.at).toISOString() })),
      ...(await this.lastReading(metric, holder, samples.at(-1)?.takenAt, to)),
    };
  }

  /**
   * Whether the last point still holds at `to`: the snapshot in force then measured the series. It did not
   * when the set had ended by then, or when its read failed; `measuredAt` is when it was last measured.
   */
  private async lastReading(
    metric: string,
    holder: NamespaceRecord,
    lastSampleAt: number | undefined,
    to: number,
  ): Promise<{ stale: boolean; measuredAt: string | null }> {
    if (lastSampleAt === undefined) return { stale: false, measuredAt: null };
    const seenAt = await this.state.snapshotTimeAt(to);
    if (seenAt === null) return { stale: false, measuredAt: new Date(lastSampleAt).toISOString() };
    const ended = holder.lastSeenAt < seenAt;
    const [reading] = await this.freshness.of(
      [{ identity: holder.identity, metric, takenAt: lastSampleAt }],
      ended ? holder.lastSeenAt : seenAt,
    );
    const measuredAt = reading?.measuredAt ?? lastSampleAt;
    return { stale: ended || reading?.stale === true, measuredAt: new Date(measuredAt).toISOString() };
  }

  /**
   * The set's own series; for a netns metric the set does not hold (it shares its netns with the set that does),
   * the holder's series: one netns, one series. `holder` is the set whose series it is.
   */
  private async seriesOf(
    metric: string,
    namespace: NamespaceRecord,
    from: number,
    to: number,
  ): Promise<{ rows: { taken_at: number; usage: number; limit_value: number }[]; holder: NamespaceRecord }> {
    const own = await this.repository.series(metric, namespace.id, from, to);
    if (own.length > 0 || !isNetnsMetric(metric)) return { rows: own, holder: namespace };
    for (const other of (await this.namespaces.netnsSharers([namespace.id], from, to)).get(namespace.id) ??
      []) {
      const shared = await this.repository.series(metric, other, from, to);
      const holder = shared.length > 0 ? await this.namespaces.find(String(other)) : undefined;
      if (holder) return { rows: shared, holder };
    }
    return { rows: own, holder: namespace };
  }

  /** Required; one of the catalogued or ever-sampled metrics, else 400 listing them. */
  private async metricParam(metric: string | undefined): Promise<string> {
    const known = [
      ...new Set([...LIMIT_METRICS.map((m) => m.metric), ...(await this.repository.sampledMetrics())]),
    ];
    if (metric === undefined) throw new BadParameterError('metric', `required; one of ${known.join(', ')}`);
    if (!known.includes(metric))
      throw new BadParameterError(
        'metric',
        `unknown metric '${metric.slice(0, 60)}'; known: ${known.join(', ')}`,
      );
    return metric;
  }
}

import { namespaceNames, namespacePayload, snapshotPayload } from './namespace-event-fields.js';
import {
  levelRank,
  nextSaturationLevel,
  type SaturationLevel,
  type SaturationThresholds,
} from './next-saturation-level.js';
import { isNetnsMetric } from '../limits/limit-metrics.js';
import { seriesId, type OwnerSummary, type SnapshotFacts, type TargetFacts } from './snapshot-facts.js';
import type { WebhookEvent } from './webhook-event.js';

export interface SaturationUpdate {
  readonly identity: string;
  readonly metric: string;
  readonly level: SaturationLevel;
  readonly ratio: number;
}

export interface SaturationEvaluation {
  readonly events: WebhookEvent[];
  /** New level of every series sampled in this snapshot, to store. */
  readonly updates: SaturationUpdate[];
}

const percent = (ratio: number): number => Math.round(ratio * 10000) / 100;

/**
 * Every owner of the netns a netns metric measures: the holder set's own, then those of the sets that share its
 * netns (one netns, one alert, all its owners named).
 */
function netnsOwnersOf(target: TargetFacts): OwnerSummary[] {
  return [...target.owners, ...(target.netnsSharers ?? [])];
}

/**
 * Moves each sampled series to its next level and raises one `limit.saturation` per level change. Series of
 * vanished sets are not evaluated (their rows are dropped by the caller), nor samples without a finite ratio.
 */
export function evaluateSaturation(
  facts: SnapshotFacts,
  thresholds: SaturationThresholds,
): SaturationEvaluation {
  const events: WebhookEvent[] = [];
  const updates: SaturationUpdate[] = [];
  for (const target of facts.targets) {
    if (target.vanished) continue;
    for (const sample of target.samples) {
      if (!Number.isFinite(sample.ratio)) continue; // counters (`*.total`) and unpaired samples are no saturation
      const previous = facts.levels.get(seriesId(target.identity, sample.metric)) ?? 'ok';
      const level = nextSaturationLevel(previous, sample.ratio, thresholds);
      updates.push({ identity: target.identity, metric: sample.metric, level, ratio: sample.ratio });
      if (level === previous) continue;
      const up = levelRank(level) > levelRank(previous);
      const netnsOwners = isNetnsMetric(sample.metric) ? netnsOwnersOf(target) : undefined;
      events.push({
        type: 'limit.saturation',
        occurredAt: facts.takenAt,
        keys: [sample.limitKey, sample.usageKey],
        namespaces: [
          ...new Set([...namespaceNames(target), ...(netnsOwners ?? []).flatMap((o) => [o.name, o.ref])]),
        ],
        data: {
          metric: sample.metric,
          level,
          previousLevel: previous,
          direction: up ? 'up' : 'down',
          usage: sample.usage,
          limit: sample.limit,
          ratio: sample.ratio,
          percent: percent(sample.ratio),
          limitKey: sample.limitKey,
          usageKey: sample.usageKey,
          thresholds: {
            warnPercent: percent(thresholds.warn),
            criticalPercent: percent(thresholds.critical),
            hysteresisPoints: percent(thresholds.hysteresis),
          },
          namespace: namespacePayload(target),
          ...(netnsOwners ? { netnsOwners: netnsOwners.map((o) => ({ ...o })) } : {}),
          snapshot: snapshotPayload(facts.snapshotId, facts.takenAt),
        },
      });
    }
  }
  return { events, updates };
}

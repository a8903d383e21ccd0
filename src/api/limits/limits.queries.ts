import { namespaceParam, timeParam } from '../../docs/api-doc-texts.js';
import { LIMIT_METRICS } from '../../domain/limits/limit-metrics.js';
import { IntQuery, NamespaceQuery, TextQuery, TimeQuery } from '../params/query-params.js';

export const DEFAULT_POINTS = 500;
export const MAX_POINTS = 10_000;

/** Query of GET /limits. */
export class LimitsQuery {
  @TimeQuery({ description: timeParam('The instant; default now.'), example: '-15m' })
  at?: number;

  @NamespaceQuery({
    description: namespaceParam('Only this set (default: every set, with the top holders).'),
    example: 'web-1',
  })
  namespace?: string;
}

/** Query of GET /usage. */
export class UsageQuery {
  @TextQuery(128, {
    required: true,
    description: `The usage metric (required): one of the catalogued metrics (${LIMIT_METRICS.map((m) => m.metric).join(', ')}) or any metric ever sampled.`,
    example: 'conntrack.entries',
  })
  metric?: string;

  @NamespaceQuery({ description: namespaceParam('The namespace set; default `host`.'), example: 'host' })
  namespace?: string;

  @TimeQuery({ description: timeParam('Start of the series; default 24 hours before `to`.'), example: '-6h' })
  from?: number;

  @TimeQuery({ description: timeParam('End of the series; default now.'), example: '2026-11-29T14:03:00Z' })
  to?: number;

  @IntQuery(2, MAX_POINTS, {
    description: `At most this many points, 2 to 10000 (default ${DEFAULT_POINTS}); longer ranges are downsampled.`,
    example: '200',
  })
  points?: number;
}

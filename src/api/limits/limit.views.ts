import { ApiProperty } from '@nestjs/swagger';
import type { MetricKind, MetricPlace } from '../../domain/limits/limit-metrics.js';
import type { HolderOwner } from '../../domain/limits/rank-limit-pairs.js';

/** The schema of a HolderOwner (documentation only). */
export class HolderOwnerView implements HolderOwner {
  @ApiProperty({ example: 'container' })
  kind!: string;

  @ApiProperty({ example: 'web-1', description: 'A pod as `<k8s-namespace>/<pod>`.' })
  name!: string;
}

export class HolderView {
  @ApiProperty({
    description: 'Identity of the namespace set.',
    example: 'net:4026532301/ipc:4026532299/uts:4026532298',
  })
  namespace!: string;

  @ApiProperty({ example: 'container' })
  namespaceKind!: string;

  @ApiProperty({ type: () => [HolderOwnerView] })
  owners!: readonly HolderOwner[];

  @ApiProperty({ example: 52344 })
  usage!: number;

  @ApiProperty({ example: 65536 })
  limit!: number;

  /** usage / limit; null for counters. */
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'usage / limit; null for counters.',
    example: 0.7987,
  })
  ratio!: number | null;

  @ApiProperty({
    format: 'date-time',
    description: 'When this value was stored (samples are stored when they change, and at least hourly).',
    example: '2026-11-29T14:03:00.000Z',
  })
  at!: string;

  @ApiProperty({
    description:
      'True when the snapshot in force did not measure this reading (its set could not be read: the netns could not be entered, a file could not be read): the value is the last one known, not the current one.',
    example: false,
  })
  stale!: boolean;

  @ApiProperty({
    format: 'date-time',
    description:
      'When the reading was last measured: the snapshot in force for a current reading, an earlier one for a stale one.',
    example: '2026-11-29T14:03:00.000Z',
  })
  measuredAt!: string;
}

export class LimitPairView extends HolderView {
  @ApiProperty({ example: 'conntrack.entries' })
  metric!: string;

  /** `level` (a count now) or `counter` (cumulative, metric name ends in `.total`: see /usage for its rate). */
  @ApiProperty({
    enum: ['level', 'counter'],
    description:
      '`level` (a count now) or `counter` (cumulative, name ends in `.total`: see /usage for its rate).',
    example: 'level',
  })
  kind!: MetricKind;

  @ApiProperty({ type: String, nullable: true, example: 'net.netfilter.nf_conntrack_max' })
  limitKey!: string | null;

  /** `set`: measured per namespace set; `host`: once for the whole host. */
  @ApiProperty({
    type: String,
    enum: ['set', 'host'],
    nullable: true,
    description: '`set`: measured per namespace set; `host`: once for the whole host.',
    example: 'set',
  })
  place!: MetricPlace | null;

  /** Up to 5 sets holding the most of this metric at `at`. */
  @ApiProperty({
    type: () => [HolderView],
    description: 'Up to 5 sets holding the most of this metric at `at`.',
  })
  top!: HolderView[];
}

export class LimitsResult {
  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  at!: string;

  /** The snapshot the answer reflects (the last one at or before `at`), or null when none was taken yet. */
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'The snapshot the answer reflects (the last one at or before `at`); null when none was taken yet.',
    example: '2026-11-29T14:02:00.000Z',
  })
  snapshotAt!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The set asked for, or null for every set.',
    example: null,
  })
  namespace!: string | null;

  @ApiProperty({ example: 1 })
  count!: number;

  @ApiProperty({ type: () => [LimitPairView] })
  items!: LimitPairView[];
}

export class UsagePointView {
  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:00:00.000Z' })
  at!: string;

  @ApiProperty({ example: 52344 })
  usage!: number;

  @ApiProperty({ example: 65536 })
  limit!: number;

  @ApiProperty({ type: Number, nullable: true, example: 0.7987 })
  ratio!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Per-second rate of a counter; null for levels.',
    example: null,
  })
  ratePerSecond!: number | null;
}

/** How a range was folded into buckets (documentation only). */
export class DownsamplingView {
  @ApiProperty({ example: 200 })
  buckets!: number;

  @ApiProperty({ example: 108000 })
  bucketMs!: number;

  @ApiProperty({ example: 'max usage per bucket' })
  rule!: string;
}

export class UsageResult {
  @ApiProperty({ example: 'conntrack.entries' })
  metric!: string;

  @ApiProperty({ enum: ['level', 'counter'], example: 'level' })
  kind!: MetricKind;

  @ApiProperty({ type: String, nullable: true, example: 'net.netfilter.nf_conntrack_max' })
  limitKey!: string | null;

  @ApiProperty({ example: 'host' })
  namespace!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T14:03:00.000Z' })
  from!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  to!: string;

  /** How the points read: stored samples are change-only, so each point holds until the next one. */
  @ApiProperty({
    enum: ['step'],
    description:
      'How the points read: stored samples are change-only, so each point holds until the next one.',
    example: 'step',
  })
  series!: 'step';

  /** Null when every stored step is returned; else how the range was folded into at most `points` buckets. */
  @ApiProperty({
    type: () => DownsamplingView,
    nullable: true,
    description:
      'Null when every stored step is returned; else how the range was folded into at most `points` buckets.',
  })
  downsampled!: { buckets: number; bucketMs: number; rule: string } | null;

  @ApiProperty({ example: 1 })
  count!: number;

  @ApiProperty({ type: () => [UsagePointView] })
  points!: UsagePointView[];

  @ApiProperty({
    description:
      'True when the last point does not hold at `to` for certain: the snapshot in force then did not measure the series (the set had ended, or its read failed); the last point is the last value known.',
    example: false,
  })
  stale!: boolean;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When the series was last measured at or before `to` (the snapshot in force when it is current); null without any point.',
    example: '2026-11-29T14:03:00.000Z',
  })
  measuredAt!: string | null;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ConfSourceView } from '../drift/drift.views.js';
import type { Evidence, EvidenceKind } from '../../domain/correlation/evidence-types.js';
import type { TimelineEntry } from '../../domain/correlation/build-timeline.js';

const EVIDENCE_KINDS = [
  'changed',
  'saturated',
  'overflowed',
  'kernel-event',
  'own-value',
  'baseline-drift',
  'declared-mismatch',
  'config-drift',
];

export class IncidentView {
  @ApiProperty({ example: 7 })
  id!: number;

  @ApiProperty({ example: 'checkout 502s: conntrack table full on web-1' })
  title!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  startedAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Null while ongoing.',
    example: null,
  })
  endedAt!: string | null;

  @ApiProperty({
    enum: ['open', 'resolved'],
    description: '`resolved` once it has an end (PATCH status or endedAt), `open` while ongoing.',
    example: 'open',
  })
  status!: 'open' | 'resolved';

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Identity of the namespace set the incident is scoped to; null for the whole host.',
    example: 'net:4026532301/ipc:4026532299/uts:4026532298',
  })
  namespace!: string | null;

  @ApiProperty({ type: [String], description: 'Containers and named netns of that set.', example: ['web-1'] })
  owners!: string[];

  @ApiProperty({ type: [String], example: ['nf_conntrack: table full, dropping packet'] })
  symptoms!: string[];

  @ApiProperty({
    enum: ['api', 'kernel-event'],
    description: '`api` when opened through POST /incidents, `kernel-event` when a kernel event opened it.',
    example: 'api',
  })
  source!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The kernel event signature that opened it automatically.',
    example: null,
  })
  signature!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:10:00.000Z' })
  createdAt!: string;
}

/** One piece of evidence; which fields are present depends on `kind` (documentation only). Times are epoch ms. */
export class EvidenceView {
  @ApiProperty({ enum: EVIDENCE_KINDS, example: 'changed' })
  kind!: string;

  @ApiProperty({ example: 'net.netfilter.nf_conntrack_max' })
  key!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Where it was seen (not for baseline-drift, declared-mismatch).',
    example: 'host',
  })
  namespace?: string | null;

  @ApiPropertyOptional({ type: [String], example: [] })
  owners?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'changed', example: '262144' })
  before?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'changed', example: '65536' })
  after?: string | null;

  @ApiPropertyOptional({
    description:
      'changed: the snapshot that detected it; saturated, overflowed: the sample. Epoch milliseconds. A change is not made at `at`: see changedAfter/changedBy.',
    example: 1796046900000,
  })
  at?: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description:
      "changed: the set's previous reading; the change happened strictly after it. Null when the set had not been read before. Epoch milliseconds.",
    example: 1796046840000,
  })
  changedAfter?: number | null;

  @ApiPropertyOptional({
    description:
      'changed: the change happened at or before this: `at`, or earlier when a kernel line proves the new value was already in force. Epoch milliseconds.',
    example: 1796046900000,
  })
  changedBy?: number;

  @ApiPropertyOptional({ description: 'saturated, overflowed', example: 'conntrack.entries' })
  metric?: string;

  @ApiPropertyOptional({ description: 'saturated', example: 65536 })
  usage?: number;

  @ApiPropertyOptional({ description: 'saturated, overflowed', example: 65536 })
  limit?: number;

  @ApiPropertyOptional({ description: 'saturated', example: 1 })
  ratio?: number;

  @ApiPropertyOptional({ description: 'kernel-event', example: 'conntrack-table-full' })
  signature?: string;

  @ApiPropertyOptional({
    description: 'kernel-event: lines the kernel printed (suppressed messages are host-wide, never added).',
    example: 10,
  })
  count?: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      "kernel-event: the burst's magnitude from its netns's own drop counters: `{ from, to, counters }` (epoch ms; increase of each counter between the two snapshot readings). Null when unknown.",
    example: { from: 1796047320000, to: 1796047380000, counters: { 'conntrack.drop.total': 136 } },
  })
  drops?: { from: number; to: number; counters: Record<string, number> } | null;

  @ApiPropertyOptional({ description: 'kernel-event: epoch milliseconds.', example: 1796047331000 })
  firstAt?: number;

  @ApiPropertyOptional({ description: 'kernel-event: epoch milliseconds.', example: 1796047361000 })
  lastAt?: number;

  @ApiPropertyOptional({
    description: 'kernel-event',
    example: 'nf_conntrack: nf_conntrack: table full, dropping packet',
  })
  sampleLine?: string;

  @ApiPropertyOptional({
    description: 'baseline-drift, own-value: the baseline name.',
    example: 'prod-web-2026-11',
  })
  baseline?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'baseline-drift', example: '65536' })
  here?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: "baseline-drift, own-value: the baseline's value.",
    example: '262144',
  })
  there?: string | null;

  @ApiPropertyOptional({ description: 'overflowed: how much the counter rose in the window.', example: 312 })
  increase?: number;

  @ApiPropertyOptional({ description: 'overflowed: the rise per second.', example: 5.2 })
  perSecond?: number;

  @ApiPropertyOptional({
    description: 'overflowed: epoch milliseconds of the reading before the rise.',
    example: 1796046900000,
  })
  from?: number;

  @ApiPropertyOptional({ description: "own-value: the set's own value.", example: '4' })
  value?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: "own-value: the host's value.",
    example: '4096',
  })
  host?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'own-value: what a fresh namespace gets.',
    example: '4096',
  })
  fresh?: string | null;

  @ApiPropertyOptional({
    description:
      'own-value: since when the value is in force; config-drift: since when the drift lasts. Epoch milliseconds.',
    example: 1796046900000,
  })
  since?: number;

  @ApiPropertyOptional({ description: 'own-value: set when the namespace set was created.', example: true })
  atCreation?: boolean;

  @ApiPropertyOptional({ description: 'declared-mismatch', example: 'web-1' })
  container?: string;

  @ApiPropertyOptional({ description: 'declared-mismatch', example: '4096' })
  declared?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'declared-mismatch', example: '1024' })
  effective?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'config-drift', example: '4096' })
  runtime?: string | null;

  @ApiPropertyOptional({ description: 'config-drift', example: '65535' })
  configured?: string;

  @ApiPropertyOptional({
    type: () => ConfSourceView,
    description: 'config-drift: the sysctl.d line.',
  })
  source?: ConfSourceView;

  @ApiPropertyOptional({ description: 'config-drift', example: false })
  unknownToKernel?: boolean;

  @ApiPropertyOptional({ description: 'config-drift', example: false })
  atReboot?: boolean;

  @ApiPropertyOptional({ description: 'config-drift', example: true })
  beganInWindow?: boolean;
}

export class SuspectView {
  @ApiProperty({ example: 1 })
  rank!: number;

  @ApiProperty({ example: 'net.netfilter.nf_conntrack_max' })
  key!: string;

  @ApiProperty({ example: 'global' })
  scope!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['isolated', 'mirrored', 'absent'],
    example: 'mirrored',
  })
  childVisibility!: string | null;

  @ApiProperty({ enum: EVIDENCE_KINDS, isArray: true, example: ['changed', 'saturated', 'kernel-event'] })
  kinds!: EvidenceKind[];

  @ApiProperty({ example: 9.5 })
  score!: number;

  @ApiProperty({
    description: 'One sentence an operator can paste into a postmortem.',
    example:
      'net.netfilter.nf_conntrack_max was lowered from 262144 to 65536 on the host 20 min before the start; conntrack.entries then reached 100% of it.',
  })
  explanation!: string;

  @ApiProperty({ type: () => [EvidenceView] })
  evidence!: Evidence[];
}

/** The report's window (documentation only). */
export class ReportWindowView {
  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  from!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:40:00.000Z' })
  to!: string;

  @ApiProperty({
    format: 'date-time',
    description: '`from` minus `lookback`.',
    example: '2026-11-29T13:03:00.000Z',
  })
  lookbackFrom!: string;
}

/** One timeline entry (documentation only). */
export class TimelineEntryView {
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'Earliest instant: for a change, the previous reading of its set (it happened strictly after, see `fromExclusive`); for a kernel-log burst its first line; for a saturation the sample. Null when not known.',
    example: '2026-11-29T13:44:00.000Z',
  })
  from!: string | null;

  @ApiProperty({ description: 'True for changes: they happened strictly after `from`.', example: true })
  fromExclusive!: boolean;

  @ApiProperty({
    format: 'date-time',
    description:
      'Latest instant: for a change, the reading that detected it (or an earlier kernel line that proves it); for a burst its last line.',
    example: '2026-11-29T13:45:00.000Z',
  })
  to!: string;

  @ApiProperty({
    description:
      'Entries with the same step cannot be ordered among themselves (their spans overlap); each step happened before the next. Listing order inside a step is no claim.',
    example: 0,
  })
  step!: number;

  @ApiProperty({ enum: EVIDENCE_KINDS, example: 'changed' })
  kind!: string;

  @ApiProperty({ example: 'net.netfilter.nf_conntrack_max' })
  key!: string;

  @ApiProperty({ type: String, nullable: true, example: 'host' })
  namespace!: string | null;

  @ApiProperty({ example: 'net.netfilter.nf_conntrack_max 262144 → 65536' })
  summary!: string;
}

export class IncidentReport {
  @ApiProperty({ type: () => IncidentView })
  incident!: IncidentView;

  @ApiProperty({ type: () => ReportWindowView })
  window!: { from: string; to: string; lookbackFrom: string };

  /** Empty when nothing recorded explains the window: that is an answer, not an error. */
  @ApiProperty({
    type: () => [SuspectView],
    description: 'Empty when nothing recorded explains the window: that is an answer, not an error.',
  })
  suspects!: SuspectView[];

  @ApiProperty({
    description: 'Suspects ranked in all; `suspects` holds the first `limit` of them.',
    example: 3,
  })
  suspectCount!: number;

  @ApiProperty({
    type: () => [TimelineEntryView],
    description: 'The timed evidence of the suspects listed, in order.',
  })
  timeline!: (Omit<TimelineEntry, 'from' | 'to'> & { from: string | null; to: string })[];

  @ApiProperty({
    type: [String],
    example: ["baseline 'prod-web-2026-11': drift counts for limit keys and keys with other evidence only"],
  })
  notes!: string[];
}

import { ApiProperty } from '@nestjs/swagger';

export class KernelEventView {
  @ApiProperty({ example: 17 })
  id!: number;

  /** Signature id (`conntrack-table-full` …); the list is in src/domain/kernel-events/kernel-signatures.ts. */
  @ApiProperty({
    description: 'Signature id; see the `signature` filter for the list.',
    example: 'conntrack-table-full',
  })
  signature!: string;

  /** The implicated key. */
  @ApiProperty({ description: 'The implicated key.', example: 'net.netfilter.nf_conntrack_max' })
  key!: string;

  /** Other keys governing the same limit. */
  @ApiProperty({
    type: [String],
    description: 'Other keys governing the same limit.',
    example: ['net.netfilter.nf_conntrack_buckets'],
  })
  relatedKeys!: string[];

  /** Identity of the namespace set the line names (`host`, `net:…/ipc:…/uts:…`); null when the line does not say. */
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Identity of the namespace set the line names; null when the line does not say.',
    example: 'net:4026532301/ipc:4026532299/uts:4026532298',
  })
  namespace!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 3 })
  namespaceId!: number | null;

  /** Network namespace inode named by the line (conntrack), even before any snapshot saw that namespace. */
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Network namespace inode named by the line (conntrack), even before any snapshot saw that namespace.',
    example: 4026532301,
  })
  netInode!: number | null;

  /** Containers and named netns in that network namespace. */
  @ApiProperty({
    type: [String],
    description: 'Containers and named netns in that network namespace.',
    example: ['web-1'],
  })
  owners!: string[];

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:02:11.000Z' })
  firstAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:02:41.000Z' })
  lastAt!: string;

  /** Lines in the burst, plus suppressed net_ratelimit callbacks attributed to it (`suppressed`). */
  @ApiProperty({
    description: 'Lines in the burst, plus the suppressed net_ratelimit callbacks attributed to it.',
    example: 212,
  })
  count!: number;

  @ApiProperty({ description: 'Of `count`, the callbacks net_ratelimit suppressed.', example: 200 })
  suppressed!: number;

  @ApiProperty({ example: 'nf_conntrack: nf_conntrack: table full, dropping packet' })
  sampleLine!: string;
}

export class KernelEventPage {
  @ApiProperty({ type: () => [KernelEventView] })
  items!: KernelEventView[];

  /** True when more events matched than `limit`; the newest are returned. */
  @ApiProperty({
    description: 'True when more events matched than `limit`; the newest are returned.',
    example: false,
  })
  truncated!: boolean;
}

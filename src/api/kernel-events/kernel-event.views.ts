import { ApiProperty } from '@nestjs/swagger';

export class BurstDropsView {
  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:02:00.000Z' })
  from!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  to!: string;

  /** Increase of each counter over (from, to]: `conntrack.drop.total` (packets refused), `conntrack.early_drop.total` (entries evicted). */
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description:
      'Increase of each counter over (from, to]: `conntrack.drop.total` = packets refused for a full table, `conntrack.early_drop.total` = entries evicted to make room.',
    example: { 'conntrack.drop.total': 136, 'conntrack.early_drop.total': 0 },
  })
  counters!: Record<string, number>;
}

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

  /** Lines the kernel printed in this burst (net_ratelimit's suppressed messages are never added). */
  @ApiProperty({
    description:
      "Lines the kernel printed in this burst. The kernel prints at most `net.core.message_burst` net-limited lines per window for the whole host, so this is not the burst's size: see `drops`.",
    example: 10,
  })
  count!: number;

  /** Only on `net-ratelimit-suppressed` events: the sum of N over their lines (host-wide); 0 on every other. */
  @ApiProperty({
    description:
      'Only on `net-ratelimit-suppressed` events (host-wide, no namespace): the sum of N in their "net_ratelimit: N callbacks suppressed" lines, messages of any net-limited caller in any netns that the one global limiter swallowed. 0 on every other event: it is never credited to a burst.',
    example: 0,
  })
  suppressed!: number;

  @ApiProperty({ example: 'nf_conntrack: nf_conntrack: table full, dropping packet' })
  sampleLine!: string;

  /**
   * The magnitude of the burst in the netns its line names: the increase of that netns's own drop counters
   * between the snapshot before its first line and the first one after its last line. Null when the signature
   * has no such counter, the line names no netns, or no snapshot brackets the burst yet.
   */
  @ApiProperty({
    type: () => BurstDropsView,
    nullable: true,
    description:
      "The burst's magnitude in the netns its line names: how much that netns's own drop counters grew between the snapshot before its first line (`from`) and the first one after its last line (`to`). Null when the signature has no counter, the line names no netns, or no snapshot brackets the burst yet.",
  })
  drops!: BurstDropsView | null;
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

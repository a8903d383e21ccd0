import { ApiProperty } from '@nestjs/swagger';

export class SharedKeyView {
  @ApiProperty({ example: 'net.netfilter.nf_conntrack_max' })
  key!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['isolated', 'mirrored', 'absent'],
    example: 'mirrored',
  })
  childVisibility!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '262144' })
  value!: string | null;

  @ApiProperty({
    description: "Namespace sets other than the host's that see this host value.",
    example: 3,
  })
  namespacesSeeing!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The usage metric that runs into this limit, when one is sampled.',
    example: 'conntrack.entries',
  })
  usageMetric!: string | null;
}

/** The answer of GET /shared. */
export class SharedResult {
  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  at!: string;

  @ApiProperty({ description: 'Namespace sets other than the host’s alive at `at`.', example: 3 })
  namespaces!: number;

  @ApiProperty({ type: () => [SharedKeyView] })
  items!: SharedKeyView[];
}

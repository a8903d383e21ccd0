import { ApiProperty } from '@nestjs/swagger';

/** A key the two sets own whose values differ. */
export class NamespaceDifferingView {
  @ApiProperty({ example: 'net.core.somaxconn' })
  key!: string;

  @ApiProperty({ example: 'net' })
  scope!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The value in set `a`; null when it lacks the key.',
    example: '4096',
  })
  a!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The value in set `b`; null when it lacks the key.',
    example: '1024',
  })
  b!: string | null;
}

/** A global or mirrored key both sets are bound by. */
export class NamespaceSharedView {
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

  @ApiProperty({ example: true })
  visibleInsideA!: boolean;

  @ApiProperty({ example: true })
  visibleInsideB!: boolean;
}

/** A network device whose keys differ between the two sets (the default `interfaces=grouped`). */
export class NamespaceInterfaceView {
  @ApiProperty({ description: 'The device name (a dot in it shows as `/`).', example: 'veth1a2b3c4' })
  interface!: string;

  @ApiProperty({
    enum: ['only-a', 'only-b', 'differs'],
    description:
      'only-a / only-b: the device exists in that set alone (all its keys); differs: both have it and `keys` lists its keys that differ.',
    example: 'only-a',
  })
  kind!: string;

  @ApiProperty({
    description: 'How many of its keys differ (all of them when one set alone has it).',
    example: 130,
  })
  keyCount!: number;

  @ApiProperty({
    type: () => [NamespaceDifferingView],
    description: 'For a device both sets have, its keys that differ; empty otherwise.',
  })
  keys!: NamespaceDifferingView[];
}

/** The answer of GET /diff/namespaces. */
export class NamespaceDiffResult {
  @ApiProperty({ description: 'Identity of set `a`.', example: 'host' })
  a!: string;

  @ApiProperty({
    description: 'Identity of set `b`.',
    example: 'net:4026532301/ipc:4026532299/uts:4026532298',
  })
  b!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  at!: string;

  @ApiProperty({
    type: () => [NamespaceDifferingView],
    description:
      'Keys each set owns whose values differ (a key only one of them has shows null on the other side).',
  })
  differing!: NamespaceDifferingView[];

  @ApiProperty({
    type: () => [NamespaceInterfaceView],
    description:
      'One entry per network device whose keys differ; empty with `interfaces=raw`, which lists those keys in `differing`.',
  })
  interfaces!: NamespaceInterfaceView[];

  @ApiProperty({
    type: () => [NamespaceSharedView],
    description: 'Global and mirrored keys both sets are bound by, with the one value they share.',
  })
  shared!: NamespaceSharedView[];
}

import { ApiProperty } from '@nestjs/swagger';

export class SnapshotView {
  @ApiProperty({ example: 4812 })
  id!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  takenAt!: string;

  @ApiProperty({ description: 'Read, classify, diff and persist, in milliseconds.', example: 48 })
  durationMs!: number;

  @ApiProperty({ description: 'Keys read over every namespace set.', example: 1187 })
  keysRead!: number;

  @ApiProperty({ example: 3 })
  namespacesRead!: number;

  @ApiProperty({ description: 'Value changes recorded by this snapshot.', example: 2 })
  changeCount!: number;

  @ApiProperty({ description: 'What started it: `startup`, `schedule` or `api`.', example: 'schedule' })
  trigger!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description:
      'Problems met while reading (a namespace that vanished, Docker unreachable…), with their `source`.',
    example: [{ source: 'docker', message: 'connect ENOENT /var/run/docker.sock' }],
  })
  errors!: unknown[];

  /** How many namespace sets were read by each method (`in-process` for the host, `nsenter` for others). */
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description:
      'How many namespace sets were read by each method (`in-process` for the host, `nsenter` for others). ' +
      '`usage-only`: sets whose keys were not due this snapshot (rolling full reads, `FULL_READS_PER_SNAPSHOT`): ' +
      'only their usage was read, their values are the last known ones; neither vanished nor incomplete.',
    example: { 'in-process': 1, nsenter: 2 },
  })
  readMethods!: Record<string, number>;
}

export class SnapshotPage {
  @ApiProperty({ type: () => [SnapshotView] })
  items!: SnapshotView[];

  /** Pass as `cursor` to get the next (older) page; null on the last page. */
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` to get the next (older) page; null on the last page.',
    example: '4793',
  })
  nextCursor!: string | null;
}

export class SnapshotChange {
  @ApiProperty({ description: 'Identity of the namespace set.', example: 'host' })
  namespace!: string;

  @ApiProperty({ example: 'net.core.somaxconn' })
  key!: string;

  @ApiProperty({ example: 'net' })
  scope!: string;

  @ApiProperty({ enum: ['added', 'removed', 'changed'], example: 'changed' })
  kind!: 'added' | 'removed' | 'changed';

  @ApiProperty({ type: String, nullable: true, example: '4096' })
  old!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '65535' })
  new!: string | null;
}

/** A network device whose keys this snapshot changed in one namespace set (the default `interfaces=grouped`). */
export class SnapshotInterfaceChange {
  @ApiProperty({ description: 'Identity of the namespace set.', example: 'host' })
  namespace!: string;

  @ApiProperty({ description: 'The device name (a dot in it shows as `/`).', example: 'veth1a2b3c4' })
  interface!: string;

  @ApiProperty({
    enum: ['appeared', 'vanished', 'changed'],
    description:
      'appeared / vanished: the device came or went with all its keys (a container started or stopped); changed: it lasted and `keys` lists its keys that changed.',
    example: 'appeared',
  })
  kind!: 'appeared' | 'vanished' | 'changed';

  @ApiProperty({
    description: 'How many of its keys this snapshot recorded (all of them when it came or went).',
    example: 130,
  })
  keyCount!: number;

  @ApiProperty({
    type: () => [SnapshotChange],
    description: 'For a changed device, its changed keys; empty when it appeared or vanished.',
  })
  keys!: SnapshotChange[];
}

export class SnapshotDetail extends SnapshotView {
  @ApiProperty({
    type: () => [SnapshotChange],
    description:
      'One page of the changes, in the order the snapshot recorded them (`changeCount` is the total, device keys included); follow `nextCursor` for the rest. With the default `interfaces=grouped`, the keys of network devices are in `interfaces` instead.',
  })
  changes!: SnapshotChange[];

  @ApiProperty({
    type: () => [SnapshotInterfaceChange],
    description:
      'One entry per namespace set and network device whose keys this snapshot changed, on the first page; empty with `interfaces=raw`, which lists those keys in `changes`.',
  })
  interfaces!: SnapshotInterfaceChange[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` to get the next page of changes; null on the last page.',
    example: '918233',
  })
  nextCursor!: string | null;
}

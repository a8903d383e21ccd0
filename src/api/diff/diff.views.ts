import { ApiProperty } from '@nestjs/swagger';
import { RebootView } from '../drift/drift.views.js';

export class DiffEntry {
  @ApiProperty({ example: 'net.core.somaxconn' })
  key!: string;

  @ApiProperty({ example: 'net' })
  scope!: string;

  /** added | removed | changed between the two instants. */
  @ApiProperty({
    enum: ['added', 'removed', 'changed'],
    description: 'Between the two instants.',
    example: 'changed',
  })
  kind!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The value at `from`.', example: '4096' })
  before!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The value at `to`.', example: '65535' })
  after!: string | null;

  /** The reading that detected the key's last move inside the window: it happened at or before this. */
  @ApiProperty({
    format: 'date-time',
    description:
      "The snapshot that detected the key's last move inside the window: the move happened at or before this instant, after `changedAfter`.",
    example: '2026-11-29T13:40:00.000Z',
  })
  changedAt!: string;

  /** The reading before it: the move happened strictly after this. */
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      "The set's previous full reading (every key read; with rolling full reads not always the previous snapshot): the move happened strictly after it, in (changedAfter, changedAt]. When it is before `from`, the move may predate the window (`before` is the last reading at or before `from`). Null when the set had never been read before.",
    example: '2026-11-29T13:39:00.000Z',
  })
  changedAfter!: string | null;
}

/** One network device whose keys differ between the two instants (the default `interfaces=grouped`). */
export class DiffInterfaceEntry {
  @ApiProperty({ description: 'The device name (a dot in it shows as `/`).', example: 'veth1a2b3c4' })
  interface!: string;

  @ApiProperty({
    enum: ['appeared', 'vanished', 'changed'],
    description:
      'appeared / vanished: the device came or went with all its keys; changed: it lasted and `keys` lists its keys that differ.',
    example: 'appeared',
  })
  kind!: string;

  @ApiProperty({
    description: 'How many of its keys differ (all of them when it came or went).',
    example: 130,
  })
  keyCount!: number;

  @ApiProperty({
    format: 'date-time',
    description: 'The last time one of its keys moved inside the window.',
    example: '2026-11-29T13:40:00.000Z',
  })
  changedAt!: string;

  @ApiProperty({
    type: () => [DiffEntry],
    description: 'For a changed device, its keys that differ; empty when it appeared or vanished.',
  })
  keys!: DiffEntry[];
}

export class DiffResult {
  @ApiProperty({ example: 'host' })
  namespace!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T14:03:00.000Z' })
  from!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  to!: string;

  @ApiProperty({ description: 'Entries on this page.', example: 1 })
  count!: number;

  @ApiProperty({ type: () => [DiffEntry] })
  entries!: DiffEntry[];

  @ApiProperty({
    type: () => [DiffInterfaceEntry],
    description:
      'One entry per network device whose keys differ, on the first page; empty with `interfaces=raw`, which lists those keys in `entries`.',
  })
  interfaces!: DiffInterfaceEntry[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page (keys after this one); null on the last page.',
    example: null,
  })
  nextCursor!: string | null;

  @ApiProperty({
    type: () => [RebootView],
    description:
      'Reboots of the host between `from` and `to`: values that differ may have changed across a reboot rather than while running.',
  })
  reboots!: RebootView[];
}

import { ApiProperty } from '@nestjs/swagger';

export class ConfSourceView {
  @ApiProperty({ description: 'The file, as the host names it.', example: '/etc/sysctl.d/99-tuning.conf' })
  file!: string;

  @ApiProperty({ description: 'The 1-based line of the assignment.', example: 3 })
  line!: number;
}

export class DriftItem {
  @ApiProperty({ example: 'net.core.somaxconn' })
  key!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The value the kernel has (as last read while the drift lasted); null when the kernel has no such key.',
    example: '4096',
  })
  runtime!: string | null;

  @ApiProperty({ description: 'What the boot configuration would set.', example: '65535' })
  configured!: string;

  @ApiProperty({ type: () => ConfSourceView, description: 'The line that sets it (the last one that wins).' })
  source!: ConfSourceView;

  @ApiProperty({
    format: 'date-time',
    description:
      'The first snapshot that saw this drift (it began between that snapshot and the one before).',
    example: '2026-11-28T09:12:00.000Z',
  })
  since!: string;

  @ApiProperty({
    description: 'The key is configured but this kernel has no such key: the line never applied.',
    example: false,
  })
  unknownToKernel!: boolean;

  @ApiProperty({
    description:
      'The drift was first seen right after a reboot (the boot id changed): the configuration did not apply at boot, rather than a value changed while running.',
    example: false,
  })
  atReboot!: boolean;
}

/** The answer of GET /drift. */
export class DriftResult {
  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  at!: string;

  @ApiProperty({ example: 1 })
  count!: number;

  @ApiProperty({ type: () => [DriftItem] })
  items!: DriftItem[];
}

/** A key's configured value in GET /settings/:key. */
export class ConfiguredView {
  @ApiProperty({ example: '65535' })
  value!: string;

  @ApiProperty({ type: () => ConfSourceView })
  source!: ConfSourceView;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The glob of the line when the value came from one (`net.ipv4.conf.*.rp_filter`).',
    example: null,
  })
  glob!: string | null;

  @ApiProperty({ format: 'date-time', description: 'Since when the configuration says so.' })
  since!: string;
}

/** A reboot of the host, as the boot ids of two consecutive snapshots tell it. */
export class RebootView {
  @ApiProperty({
    format: 'date-time',
    description: 'The first snapshot of the new boot (the reboot happened between it and the one before).',
    example: '2026-11-28T09:12:00.000Z',
  })
  firstSeenAt!: string;

  @ApiProperty({ example: '5b1e3c1e-0d6f-4a31-9a51-2b6f0e0c2d11' })
  bootId!: string;

  @ApiProperty({ example: 'c0a3e7f4-2f55-4c8e-8b0e-6f1d2a7f9e01' })
  previousBootId!: string;
}

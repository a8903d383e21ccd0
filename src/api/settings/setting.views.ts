import type { KubeletView } from '../../domain/preflight/kubelet-view.js';
import { ApiProperty } from '@nestjs/swagger';

export class SettingView {
  @ApiProperty({
    description: 'The dotted key; a dot inside a device name shows as `/`.',
    example: 'net.core.somaxconn',
  })
  key!: string;

  @ApiProperty({ enum: ['net', 'ipc', 'uts', 'user', 'pid', 'global'], example: 'net' })
  scope!: string;

  @ApiProperty({
    description: 'A counter: never creates history, only its latest reading is kept.',
    example: false,
  })
  volatile!: boolean;

  /** isolated | mirrored | absent; null until established by a probe or the built-in table. */
  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['isolated', 'mirrored', 'absent'],
    description:
      'How a child namespace sees the key; null until established by a probe or the built-in table.',
    example: 'isolated',
  })
  childVisibility!: string | null;

  @ApiProperty({ enum: ['builtin', 'probe', 'observed'], example: 'probe' })
  classificationSource!: string;

  @ApiProperty({ enum: ['readable', 'write-only', 'unreadable'], example: 'readable' })
  access!: string;

  /** False when the key did not exist at the requested instant. */
  @ApiProperty({ description: 'False when the key did not exist at the requested instant.', example: true })
  present!: boolean;

  /** The value at the instant (for volatile keys: the latest reading); null when unreadable or absent. */
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The value at the instant (for volatile keys: the latest reading); null when unreadable or absent.',
    example: '4096',
  })
  value!: string | null;

  /** Since when this value holds (for volatile keys: when it was read). */
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Since when this value holds (for volatile keys: when it was read).',
    example: '2026-11-28T09:12:00.000Z',
  })
  since!: string | null;
}

export class SettingsPage {
  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  at!: string;

  @ApiProperty({ description: 'Identity of the namespace set the values are read in.', example: 'host' })
  namespace!: string;

  @ApiProperty({ example: 1 })
  count!: number;

  @ApiProperty({ type: () => [SettingView] })
  items!: SettingView[];
}

export class NamespaceValue {
  @ApiProperty({ example: 'net:4026532301/ipc:4026532299/uts:4026532298' })
  namespace!: string;

  @ApiProperty({ example: 'container' })
  kind!: string;

  @ApiProperty({ type: [String], example: ['web-1'] })
  owners!: string[];

  @ApiProperty({ type: String, nullable: true, example: '1024' })
  value!: string | null;
}

export class SettingDetail extends SettingView {
  @ApiProperty({ format: 'date-time', example: '2026-11-01T08:00:00.000Z' })
  firstSeenAt!: string;

  @ApiProperty({
    enum: ['safe', 'unsafe', 'node-level'],
    description:
      "The kubelet's view of the key in a pod's securityContext.sysctls: `safe` (admitted everywhere, the " +
      "kubelet's safe set for this kernel), `unsafe` (needs the kubelet's allowedUnsafeSysctls), `node-level` " +
      '(cannot be set per pod: not namespaced, or refused by the kubelet).',
    example: 'unsafe',
  })
  kubelet!: KubeletView;

  @ApiProperty({
    description:
      'What the classification rests on (`method`: builtin-table, unshare-probe or observed-values, with its readings).',
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: {
      method: 'unshare-probe',
      observation: 'writable-in-child',
      kernelRelease: '6.18.0',
      hostMode: '644',
      childMode: '644',
      builtin: { scope: 'net', childVisibility: 'isolated' },
    },
  })
  evidence!: unknown;

  /** The key's current value in every namespace set that has its own reading of it. */
  @ApiProperty({
    type: () => [NamespaceValue],
    description: "The key's current value in every namespace set that has its own reading of it.",
  })
  namespaces!: NamespaceValue[];
}

export class ValueInterval {
  @ApiProperty({ type: String, nullable: true, example: '4096' })
  value!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-28T09:12:00.000Z' })
  from!: string;

  /** Null while the value still holds. */
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Null while the value still holds.',
    example: null,
  })
  to!: string | null;
}

export class SettingHistory {
  @ApiProperty({ example: 'net.core.somaxconn' })
  key!: string;

  @ApiProperty({ example: 'host' })
  namespace!: string;

  @ApiProperty({ example: false })
  volatile!: boolean;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T14:03:00.000Z' })
  from!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  to!: string;

  @ApiProperty({ type: () => [ValueInterval] })
  intervals!: ValueInterval[];
}

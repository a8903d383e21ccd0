import type { KubeletView } from '../../domain/preflight/kubelet-view.js';
import { ApiProperty } from '@nestjs/swagger';
import { ConfiguredView, RebootView } from '../drift/drift.views.js';

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

  @ApiProperty({
    enum: ['readable', 'write-only', 'unreadable', 'secret'],
    description:
      'secret: a key whose content is a secret (`tcp_fastopen_key`, `stable_secret`); its value is a digest (`sha256:` and 16 hex digits), or `unset` when the kernel holds none.',
    example: 'readable',
  })
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

  @ApiProperty({
    description:
      "True for a set that shares the key's namespace with the host (a `--network host` container for net keys): it reads no value of its own and sees the host's, shown as `value`.",
    example: false,
  })
  sharesHost!: boolean;

  @ApiProperty({
    type: () => ReadInView,
    nullable: true,
    description:
      "The namespace the value was read in: the one of the key's scope (`kernel.pid_max` in the set's pid namespace, `user.*` in its user namespace, `net.*` in its netns); null for a global key.",
  })
  readIn!: ReadInView | null;
}

export class ReadInView {
  @ApiProperty({ enum: ['net', 'ipc', 'uts', 'pid', 'user'], example: 'pid' })
  type!: string;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Inode of that namespace (`readlink /proc/PID/ns/<type>`); null when not recorded yet.',
    example: 4026532451,
  })
  inode!: number | null;
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

  /** The key's current value in every namespace set that has its own reading of it, and the sets sharing the host's. */
  @ApiProperty({
    type: () => [NamespaceValue],
    description:
      "The key's current value in every namespace set that has its own reading of it, then the sets that share the host's namespace of the key's scope (`sharesHost: true`).",
  })
  namespaces!: NamespaceValue[];

  @ApiProperty({
    type: () => ConfiguredView,
    nullable: true,
    description:
      'What the boot configuration (sysctl.d) sets for the key, and the line that says so; null when nothing sets it.',
  })
  configured!: ConfiguredView | null;
}

/**
 * One value of a key in one set. The agent sees a value at snapshots, so both ends are intervals: the value was
 * set after `changedAfter` and at or before `from`; it ended after `endedAfter` and at or before `to`.
 */
export class ValueInterval {
  @ApiProperty({ type: String, nullable: true, example: '4096' })
  value!: string | null;

  @ApiProperty({
    format: 'date-time',
    description:
      'The first reading that showed this value (detected at): it was set at or before this instant.',
    example: '2026-11-28T09:12:00.000Z',
  })
  from!: string;

  /** Null while the value still holds. */
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'The first reading that no longer showed it: it ended at or before this instant. Null while the value still holds.',
    example: null,
  })
  to!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      "The set's previous full reading (every key read; with rolling full reads not always the previous snapshot), which still showed the value before: this value was set strictly after it (interval (changedAfter, from]). Null when the set had never been read before (the value was already there when the agent first looked).",
    example: '2026-11-28T09:11:00.000Z',
  })
  changedAfter!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'The last full reading of the set that still showed this value: it ended strictly after it (interval (endedAfter, to]). Null while it holds.',
    example: null,
  })
  endedAfter!: string | null;

  @ApiProperty({
    description:
      'The value was first read by the first snapshot after a reboot (the boot id changed): it changed across the reboot, not while the kernel ran.',
    example: false,
  })
  atReboot!: boolean;
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

  @ApiProperty({ type: () => [RebootView], description: 'Reboots of the host within the window.' })
  reboots!: RebootView[];
}

import { ApiProperty } from '@nestjs/swagger';

const IDENTITY = 'net:4026532301/ipc:4026532299/uts:4026532298';

export class PodContainerView {
  @ApiProperty({ example: 'app' })
  name!: string;

  @ApiProperty({ example: 'docker.io/library/nginx:1.27' })
  image!: string;

  @ApiProperty({ example: '50f6d90a39b46d74adf7a4a646fedce1049b22cdb237db4a9fbcc54925377979' })
  id!: string;
}

export class OwnerView {
  @ApiProperty({ enum: ['pod', 'container', 'netns', 'process'], example: 'container' })
  kind!: string;

  /** Container id, pod uid, netns name or pid. */
  @ApiProperty({
    description: 'Container id, pod uid, netns name or pid.',
    example: '3f2a9c81d0e4b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2',
  })
  ref!: string;

  @ApiProperty({ example: 'web-1' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'nginx:1.27' })
  image!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    example: { 'com.docker.compose.service': 'web' },
  })
  labels!: Record<string, string> | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    description: 'The sysctls the container was started with (`--sysctl`).',
    example: { 'net.core.somaxconn': '4096' },
  })
  declaredSysctls!: Record<string, string> | null;

  @ApiProperty({ type: String, nullable: true, example: 'bridge' })
  networkMode!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 21544 })
  pid!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pods only: the Kubernetes namespace of the pod (`name` is the pod name).',
    example: null,
  })
  namespace!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Pods only: the pod uid.', example: null })
  uid!: string | null;

  @ApiProperty({
    type: () => PodContainerView,
    isArray: true,
    nullable: true,
    description: 'Pods only: the running containers of the pod.',
    example: null,
  })
  containers!: PodContainerView[] | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T08:00:00.000Z' })
  firstSeenAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  lastSeenAt!: string;
}

/** Inodes of a set's namespaces (documentation only). */
export class NamespaceInodesView {
  @ApiProperty({ type: Number, nullable: true, example: 4026532301 })
  net!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 4026532299 })
  ipc!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 4026532298 })
  uts!: number | null;
}

export class NamespaceView {
  @ApiProperty({ example: 3 })
  id!: number;

  @ApiProperty({
    description:
      '`host`, or the inodes of the set’s net, ipc and uts namespaces, with `~<n>` from the second set ' +
      'that reused the same numbers.',
    example: IDENTITY,
  })
  identity!: string;

  @ApiProperty({ example: 'container' })
  kind!: string;

  @ApiProperty({ type: () => NamespaceInodesView })
  inodes!: { net: number | null; ipc: number | null; uts: number | null };

  /** Namespace types this set shares with the host (e.g. `net` for a `--network host` container). */
  @ApiProperty({
    type: [String],
    description:
      'Namespace types this set shares with the host (e.g. `net` for a `--network host` container).',
    example: [],
  })
  sharedWithHost!: string[];

  /** Other sets in the same network namespace (Docker's `--network container:X` keeps a private IPC/UTS). */
  @ApiProperty({
    type: [Number],
    description:
      "Other sets in the same network namespace (Docker's `--network container:X` keeps a private IPC/UTS).",
    example: [4],
  })
  sharesNetWith!: number[];

  @ApiProperty({ type: () => [OwnerView] })
  owners!: OwnerView[];

  @ApiProperty({ format: 'date-time', example: '2026-11-29T08:00:00.000Z' })
  firstSeenAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  lastSeenAt!: string;

  @ApiProperty({
    format: 'date-time',
    description:
      'When this set’s lifetime began, as best known: its first container’s start, else its first sighting.',
    example: '2026-11-29T07:59:58.000Z',
  })
  startedAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When it ended: found gone, or its inode numbers taken by a new set (identity `…~2`); null while alive.',
    example: null,
  })
  endedAt!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When every key of this set was last read (a full read). With rolling full reads (`FULL_READS_PER_SNAPSHOT`) ' +
      'a set is read in full every few snapshots and only its usage in between: its values after this instant are ' +
      'the last known ones, and a change found at its next full read happened after this instant. Null when never.',
    example: '2026-11-29T14:01:00.000Z',
  })
  fullReadAt!: string | null;
}

export class DeclaredMismatch {
  @ApiProperty({ example: 'web-1' })
  container!: string;

  @ApiProperty({ example: 'net.core.somaxconn' })
  key!: string;

  @ApiProperty({ example: '4096' })
  declared!: string;

  @ApiProperty({ type: String, nullable: true, example: '1024' })
  effective!: string | null;

  @ApiProperty({ example: 'the effective value differs from the declared one' })
  reason!: string;
}

export class NamespaceDetail extends NamespaceView {
  @ApiProperty({ type: () => [DeclaredMismatch] })
  declaredMismatches!: DeclaredMismatch[];
}

export class EffectiveSettingView {
  @ApiProperty({ example: 'net.core.somaxconn' })
  key!: string;

  @ApiProperty({ example: 'net' })
  scope!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['isolated', 'mirrored', 'absent'],
    example: 'isolated',
  })
  childVisibility!: string | null;

  @ApiProperty({ example: false })
  volatile!: boolean;

  @ApiProperty({ type: String, nullable: true, example: '4096' })
  value!: string | null;

  @ApiProperty({
    enum: ['namespace', 'host'],
    description:
      'Where the value comes from: the set’s own reading, or the host’s (global and mirrored keys).',
    example: 'namespace',
  })
  source!: string;

  @ApiProperty({ description: 'Whether a process inside the set can read the key.', example: true })
  visibleInside!: boolean;
}

export class EffectiveSettingsPage {
  @ApiProperty({ example: IDENTITY })
  namespace!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  at!: string;

  @ApiProperty({ description: 'Settings on this page.', example: 1 })
  count!: number;

  @ApiProperty({ type: () => [EffectiveSettingView] })
  items!: EffectiveSettingView[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page (keys after this one); null on the last page.',
    example: 'net.core.somaxconn',
  })
  nextCursor!: string | null;
}

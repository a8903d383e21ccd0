import { ApiProperty } from '@nestjs/swagger';

export class PreflightItemView {
  @ApiProperty({ example: 'net.netfilter.nf_conntrack_max' })
  key!: string;

  @ApiProperty({ example: '262144' })
  value!: string;

  @ApiProperty({ enum: ['ok', 'rejected'] })
  verdict!: 'ok' | 'rejected';

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The refusal in the engine’s own words; null when accepted.',
    example: 'error during container init: open /proc/sys/net/netfilter/nf_conntrack_max: permission denied',
  })
  reason!: string | null;

  @ApiProperty({
    enum: ['cli', 'kubelet', 'runtime-validation', 'container-init'],
    nullable: true,
    description:
      'Where the start fails: the Docker CLI, kubelet admission, runc’s validator, or container init.',
  })
  stage!: string | null;

  @ApiProperty({
    enum: ['safe', 'unsafe', 'forbidden'],
    description:
      'The kubelet’s view: safe (allowed by default on this kernel), unsafe (namespaced; needs ' +
      '--allowed-unsafe-sysctls), forbidden (not namespaced, or with hostNetwork/hostIPC).',
  })
  kubelet!: string;

  @ApiProperty({ type: [String] })
  notes!: string[];
}

export class NotInheritedView {
  @ApiProperty({ example: 'net.core.somaxconn' })
  key!: string;

  @ApiProperty({ enum: ['net', 'ipc', 'uts'] })
  scope!: string;

  @ApiProperty({ description: 'The host’s current value.', example: '65535' })
  host!: string;

  @ApiProperty({ description: 'What a new namespace of that type starts with.', example: '4096' })
  container!: string;
}

export class PreflightResult {
  @ApiProperty({ description: 'Where the sysctls came from: `request`, `compose service web`, `Pod api`…' })
  source!: string;

  @ApiProperty({ enum: ['docker', 'compose', 'kubernetes'] })
  runtime!: string;

  @ApiProperty({ enum: ['private', 'host'] })
  network!: string;

  @ApiProperty({ enum: ['private', 'host'] })
  ipc!: string;

  @ApiProperty({ type: String, nullable: true, example: '6.18.44-fc-v657' })
  kernelRelease!: string | null;

  @ApiProperty({ description: 'True when at least one item is rejected: the container will not start.' })
  rejected!: boolean;

  @ApiProperty({ type: () => [PreflightItemView] })
  items!: PreflightItemView[];

  @ApiProperty({
    type: () => [NotInheritedView],
    description:
      'Host-tuned namespaced keys this container will not get unless it sets them (not listed for a namespace ' +
      'it shares with the host).',
  })
  notInherited!: NotInheritedView[];

  @ApiProperty({ type: [String] })
  notes!: string[];
}

export class StillAtDefaultView extends NotInheritedView {
  @ApiProperty({ description: 'The value in the namespace set now (the fresh-namespace default).' })
  value!: string;
}

export class SetNotInheritedView {
  @ApiProperty()
  id!: number;

  @ApiProperty({ example: 'docker:3f2a…' })
  namespace!: string;

  @ApiProperty({ type: [String], description: 'Container and netns names.' })
  owners!: string[];

  @ApiProperty({ type: () => [StillAtDefaultView] })
  keys!: StillAtDefaultView[];
}

export class NotInheritedReport {
  @ApiProperty({ type: String, nullable: true })
  kernelRelease!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When the probe ran.' })
  probedAt!: string | null;

  @ApiProperty({
    type: () => [NotInheritedView],
    description:
      'What a new container gets: every namespaced key whose host value differs from a fresh namespace.',
  })
  keys!: NotInheritedView[];

  @ApiProperty({
    type: () => [SetNotInheritedView],
    description:
      'Running namespace sets with keys still at the fresh-namespace default while the host is tuned.',
  })
  sets!: SetNotInheritedView[];
}

export class NamespaceNotInherited {
  @ApiProperty()
  namespace!: string;

  @ApiProperty({ type: () => [StillAtDefaultView] })
  keys!: StillAtDefaultView[];
}

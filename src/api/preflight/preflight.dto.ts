import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  NAMESPACE_MODES,
  type NamespaceMode,
  PREFLIGHT_RUNTIMES,
  type PreflightRuntime,
} from '../../domain/preflight/preflight-types.js';

export const MAX_MANIFEST_CHARS = 256 * 1024;
export const MAX_PREFLIGHT_SYSCTLS = 256;
export const MAX_SYSCTL_VALUE_CHARS = 4096;

/**
 * POST /preflight: either `sysctls` (with `network`, `ipc`, `runtime`) or a `manifest` (Compose file or service,
 * Kubernetes Pod or workload, YAML or JSON) whose sysctls and host namespaces are read from it. Shapes are
 * checked here; keys, values and the manifest by the service (400s naming the field).
 */
export class PreflightBody {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }] },
    description: `The sysctls to judge, key → value (at most ${MAX_PREFLIGHT_SYSCTLS}). Not with manifest.`,
    example: { 'net.core.somaxconn': '65535', 'net.netfilter.nf_conntrack_max': '262144' },
  })
  @IsOptional()
  @IsObject()
  sysctls?: Record<string, unknown>;

  @ApiPropertyOptional({
    enum: NAMESPACE_MODES,
    description:
      '`host`: the container shares the host network namespace (docker --network host, hostNetwork).',
    default: 'private',
    example: 'private',
  })
  @IsOptional()
  @IsIn(NAMESPACE_MODES)
  network?: NamespaceMode;

  @ApiPropertyOptional({
    enum: NAMESPACE_MODES,
    description: '`host`: the container shares the host IPC namespace (docker --ipc host, hostIPC).',
    default: 'private',
    example: 'private',
  })
  @IsOptional()
  @IsIn(NAMESPACE_MODES)
  ipc?: NamespaceMode;

  @ApiPropertyOptional({
    enum: PREFLIGHT_RUNTIMES,
    description:
      '`docker`: `docker run --sysctl` (the CLI allowlist applies); `compose`: the Engine API as Docker Compose ' +
      'calls it (no CLI allowlist); `kubernetes`: kubelet admission, then runc. Default: `docker`, or what the ' +
      'manifest is (compose, kubernetes).',
    example: 'docker',
  })
  @IsOptional()
  @IsIn(PREFLIGHT_RUNTIMES)
  runtime?: PreflightRuntime;

  @ApiPropertyOptional({
    maxLength: MAX_MANIFEST_CHARS,
    description:
      'A Docker Compose file or service, or a Kubernetes Pod / workload manifest (YAML or JSON). Compose: ' +
      '`sysctls` (map or list), `network_mode: host`, `ipc: host`. Kubernetes: `spec.securityContext.sysctls`, ' +
      '`spec.hostNetwork`, `spec.hostIPC` (also under `spec.template.spec`). Not with sysctls.',
    example: 'services:\n  web:\n    image: nginx\n    sysctls:\n      net.core.somaxconn: 65535\n',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_MANIFEST_CHARS)
  manifest?: string;

  @ApiPropertyOptional({
    maxLength: 256,
    description:
      'With manifest: the Compose service (or Kubernetes metadata.name) to judge when there are several.',
    example: 'web',
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  service?: string;
}

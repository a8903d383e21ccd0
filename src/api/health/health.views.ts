import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import type { HealthCheckResult } from '@nestjs/terminus';
import type { KmsgStatus } from '../../kernel-events/kmsg.tokens.js';
import type { ProbeStatus } from '../../snapshot/key-classifier.js';
import type { StorageView } from '../../storage/storage-status.js';
import type { DockerStatus, SnapshotFreshness } from './health-indicators.js';

export class SnapshotFreshnessView implements SnapshotFreshness {
  @ApiProperty({ example: 4812 })
  id!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  takenAt!: string;

  @ApiProperty({ example: 12 })
  ageSeconds!: number;

  @ApiProperty({ description: 'True when older than three intervals.', example: false })
  stale!: boolean;
}

export class DockerStatusView implements DockerStatus {
  @ApiProperty({ example: true })
  reachable!: boolean;

  @ApiProperty({ type: String, nullable: true, example: null })
  message!: string | null;
}

export class ProbeStatusView implements ProbeStatus {
  @ApiProperty({ description: 'Whether the start-up probe of this kernel ran.', example: true })
  ran!: boolean;

  @ApiProperty({ type: String, nullable: true, example: '6.18.0-1-amd64' })
  kernelRelease!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  failure!: string | null;
}

export class KmsgStatusView implements KmsgStatus {
  @ApiProperty({ description: 'Whether /dev/kmsg can be followed (root or CAP_SYSLOG).', example: true })
  readable!: boolean;

  @ApiProperty({ type: String, nullable: true, example: null })
  message!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 10452 })
  lastSeq!: number | null;
}

export class StorageStatusView implements StorageView {
  @ApiProperty({ example: '/var/lib/kernel-ledger/ledger.db' })
  path!: string;

  @ApiProperty({ description: 'False from a failed write until the next commit.', example: true })
  writable!: boolean;

  @ApiProperty({ type: String, nullable: true, example: null, description: 'Why nothing is recorded.' })
  problem!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'SQLite or the agent on the last failure.',
  })
  reason!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  failingSince!: string | null;

  @ApiProperty({ example: 0 })
  consecutiveFailures!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-11-29T14:03:00.000Z' })
  lastCommitAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  waitingForLockSince!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Set when the database path no longer names the open file (deleted, moved or replaced).',
  })
  fileFault!: string | null;
}

const INDICATORS: { type: 'object'; additionalProperties: SchemaObject } = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    additionalProperties: true,
  },
};

/** The answer of GET /health: the terminus result plus the agent's own facts. */
export class HealthView implements HealthCheckResult {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'], example: 'ok' })
  status!: HealthCheckResult['status'];

  @ApiPropertyOptional({
    ...INDICATORS,
    description: 'Indicators that are up: database, storage, snapshots, docker, kernelLog.',
    example: { database: { status: 'up' }, snapshots: { status: 'up' } },
  })
  info?: HealthCheckResult['info'];

  @ApiPropertyOptional({
    ...INDICATORS,
    description: 'Indicators that are down, with a message.',
    example: {},
  })
  error?: HealthCheckResult['error'];

  @ApiProperty({
    ...INDICATORS,
    description: 'Every indicator.',
    example: { database: { status: 'up' }, snapshots: { status: 'up' } },
  })
  details!: HealthCheckResult['details'];

  @ApiProperty({ example: 60 })
  snapshotIntervalSeconds!: number;

  @ApiProperty({ description: 'Ticks skipped because a snapshot was still running.', example: 0 })
  skippedTicks!: number;

  @ApiProperty({ type: () => SnapshotFreshnessView, nullable: true })
  lastSnapshot!: SnapshotFreshness | null;

  @ApiProperty({
    type: () => DockerStatusView,
    nullable: true,
    description:
      "From the last snapshot's errors: whether the Docker engine answered. Null before any snapshot.",
  })
  /** From the last snapshot's errors: whether the Docker engine answered. Null before any snapshot. */
  docker!: DockerStatus | null;

  @ApiProperty({ type: () => ProbeStatusView })
  /** Whether the start-up probe of this kernel ran (else keys are classified from the built-in table). */
  classification!: ProbeStatus;

  @ApiProperty({ type: () => KmsgStatusView })
  /** Whether /dev/kmsg can be followed (root or CAP_SYSLOG); without it the agent goes on without kernel events. */
  kernelLog!: KmsgStatus;

  @ApiProperty({ type: () => StorageStatusView })
  /** Whether writes reach the database file; down (503) while they fail, with the reason. */
  storage!: StorageView;
}

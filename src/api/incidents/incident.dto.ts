import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { BadParameterError } from '../../common/api-errors.js';
import { parseDuration } from '../../domain/time/parse-duration.js';
import { IntQuery, QueryParam, TimeQuery } from '../params/query-params.js';
import { NAMESPACE_FORMS, timeParam } from '../../docs/api-doc-texts.js';

/** Body of POST /incidents. Times are strings (ISO-8601, epoch ms, relative) parsed by the service. */
export class CreateIncidentDto {
  @ApiProperty({
    maxLength: 200,
    description: 'What happened, for people.',
    example: 'checkout 502s: conntrack table full on web-1',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  @ApiProperty({
    maxLength: 64,
    description: timeParam('When the symptoms began.'),
    example: '2026-11-29T14:03:00Z',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  startedAt!: string;

  @ApiPropertyOptional({
    maxLength: 64,
    description: timeParam('When they ended; absent while ongoing.'),
    example: '-5m',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  endedAt?: string;

  /** A namespace id, `host`, a container name or id, or a netns name. */
  @ApiPropertyOptional({
    maxLength: 256,
    description: `Scopes the incident to one namespace set. ${NAMESPACE_FORMS}`,
    example: 'web-1',
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  namespace?: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 50,
    description: 'Observed symptoms (at most 50, 500 characters each).',
    example: ['nf_conntrack: table full, dropping packet', 'p99 latency 4s'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  symptoms?: string[];
}

export const INCIDENT_STATUSES = ['open', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/**
 * Body of PATCH /incidents/:id: any of the three. An incident is `resolved` exactly when it has an end:
 * `status: resolved` without `endedAt` ends it now, `status: open` clears the end (reopens it).
 */
export class UpdateIncidentDto {
  @ApiPropertyOptional({
    maxLength: 200,
    description: 'A new title.',
    example: 'checkout 502s: somaxconn 4 on web-1',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({
    maxLength: 64,
    description: timeParam('When the symptoms ended (not before startedAt: 409).'),
    example: '2026-11-29T14:20:00Z',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  endedAt?: string;

  @ApiPropertyOptional({
    enum: INCIDENT_STATUSES,
    description: '`resolved` ends the incident (now, unless endedAt is given); `open` reopens it.',
    example: 'resolved',
  })
  @IsOptional()
  @IsIn(INCIDENT_STATUSES)
  status?: IncidentStatus;
}

/** Query of GET /incidents. */
export class IncidentListQuery {
  @TimeQuery({ description: timeParam('Incidents started at or after this time.'), example: '-7d' })
  from?: number;

  @TimeQuery({
    description: timeParam('Incidents started at or before this time.'),
    example: '2026-11-29T14:03:00Z',
  })
  to?: number;

  @IntQuery(1, 1000, {
    description: 'At most this many, newest first: 1 to 1000 (default 100).',
    example: '20',
  })
  limit?: number;
}

/** Query of GET /incidents/:id/report. */
export const DEFAULT_REPORT_SUSPECTS = 25;
export const MAX_REPORT_SUSPECTS = 1000;
export const DEFAULT_LOOKBACK_MS = 3_600_000;
const MAX_LOOKBACK_MS = 90 * 86_400_000;

function lookbackParam(raw: string): number {
  const lookback = parseDuration(raw);
  if (lookback !== null && lookback <= MAX_LOOKBACK_MS) return lookback;
  throw new BadParameterError(
    'lookback',
    `'${raw.slice(0, 20)}' is not a duration like 30m, 1h or 7d (at most 90d)`,
  );
}

export class IncidentReportQuery {
  /** How far before the start to look for changes, in milliseconds: `30m`, `1h` (default), `7d`. */
  @ApiPropertyOptional({
    type: String,
    description: 'How far before the start to look for changes: `30m`, `1h` (default), `7d` (at most `90d`).',
    example: '6h',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? lookbackParam(value) : value))
  @IsInt()
  lookback?: number;

  @QueryParam(
    {
      description: 'An imported baseline to compare the host with (adds baseline-drift evidence).',
      example: 'prod-web-2026-11',
    },
    IsString(),
    (_name, raw) => raw,
  )
  baseline?: string;

  @IntQuery(1, MAX_REPORT_SUSPECTS, {
    description: `At most this many suspects, the highest ranked: 1 to ${MAX_REPORT_SUSPECTS} (default ${DEFAULT_REPORT_SUSPECTS}). The timeline holds their evidence.`,
    example: '50',
  })
  limit?: number;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { namespaceParam, timeParam } from '../../docs/api-doc-texts.js';
import { LIMIT_METRICS } from '../../domain/limits/limit-metrics.js';

/** Query of GET /limits. */
export class LimitsQuery {
  @ApiPropertyOptional({ type: String, description: timeParam('The instant; default now.'), example: '-15m' })
  @IsOptional()
  @IsString()
  at?: string;

  @ApiPropertyOptional({
    type: String,
    description: namespaceParam('Only this set (default: every set, with the top holders).'),
    example: 'web-1',
  })
  @IsOptional()
  @IsString()
  namespace?: string;
}

/** Query of GET /usage. */
export class UsageQuery {
  @ApiProperty({
    required: true,
    type: String,
    description: `The usage metric (required): one of the catalogued metrics (${LIMIT_METRICS.map((m) => m.metric).join(', ')}) or any metric ever sampled.`,
    example: 'conntrack.entries',
  })
  @IsOptional()
  @IsString()
  metric?: string;

  @ApiPropertyOptional({
    type: String,
    description: namespaceParam('The namespace set; default `host`.'),
    example: 'host',
  })
  @IsOptional()
  @IsString()
  namespace?: string;

  @ApiPropertyOptional({
    type: String,
    description: timeParam('Start of the series; default 24 hours before `to`.'),
    example: '-6h',
  })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({
    type: String,
    description: timeParam('End of the series; default now.'),
    example: '2026-11-29T14:03:00Z',
  })
  @IsOptional()
  @IsString()
  to?: string;

  @ApiPropertyOptional({
    type: String,
    pattern: '^\\d+$',
    description: 'At most this many points, 2 to 10000 (default 500); longer ranges are downsampled.',
    example: '200',
  })
  @IsOptional()
  @IsString()
  points?: string;
}

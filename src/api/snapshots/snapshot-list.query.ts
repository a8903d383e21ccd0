import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { timeParam } from '../../docs/api-doc-texts.js';

/** Query of GET /snapshots. Values stay strings here; the service parses them and names the bad one. */
export class SnapshotListQuery {
  @ApiPropertyOptional({
    type: String,
    description: timeParam('Snapshots taken at or after this time.'),
    example: '-1h',
  })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({
    type: String,
    description: timeParam('Snapshots taken at or before this time; default now.'),
    example: '2026-11-29T14:03:00Z',
  })
  @IsOptional()
  @IsString()
  to?: string;

  @ApiPropertyOptional({
    type: String,
    pattern: '^\\d+$',
    description: 'Page size: 1 to 1000 (default 100).',
    example: '20',
  })
  @IsOptional()
  @IsString()
  limit?: string;

  @ApiPropertyOptional({
    type: String,
    pattern: '^\\d+$',
    description: 'The `nextCursor` of the previous page, for the next (older) one.',
    example: '4812',
  })
  @IsOptional()
  @IsString()
  cursor?: string;
}

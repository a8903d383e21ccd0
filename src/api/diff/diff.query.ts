import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { namespaceParam, timeParam } from '../../docs/api-doc-texts.js';
import { KeyPageQuery } from '../params/key-page.query.js';

/** Query of GET /diff: `from` is required, `to` defaults to now. */
export class DiffQuery extends KeyPageQuery {
  @ApiProperty({
    required: true,
    type: String,
    description: timeParam('Start of the window (required).'),
    example: '-1d',
  })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({
    type: String,
    description: timeParam('End of the window; default now.'),
    example: '2026-11-29T14:03:00Z',
  })
  @IsOptional()
  @IsString()
  to?: string;

  @ApiPropertyOptional({
    type: String,
    description: namespaceParam('The namespace set to compare; default `host`.'),
    example: 'host',
  })
  @IsOptional()
  @IsString()
  namespace?: string;
}

/** Query of GET /diff/namespaces. */
export class NamespaceDiffQuery {
  @ApiProperty({
    required: true,
    type: String,
    description: namespaceParam('The first set (required).'),
    example: 'host',
  })
  @IsOptional()
  @IsString()
  a?: string;

  @ApiProperty({
    required: true,
    type: String,
    description: namespaceParam('The second set (required).'),
    example: 'web-1',
  })
  @IsOptional()
  @IsString()
  b?: string;

  @ApiPropertyOptional({
    type: String,
    description: timeParam('The instant to compare at; default now.'),
    example: '-15m',
  })
  @IsOptional()
  @IsString()
  at?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { timeParam } from '../../docs/api-doc-texts.js';
import { BASELINE_NAME_RULE } from '../../domain/baselines/baseline-name.js';
import { SCOPES } from '../../domain/sysctl/sysctl-types.js';

/** Query of GET /export. */
export class ExportQuery {
  @ApiPropertyOptional({
    type: String,
    description: timeParam('The instant to export; default now.'),
    example: '-1h',
  })
  @IsOptional()
  @IsString()
  at?: string;

  /** `host` (default) or `all`: every namespace set alive at `at`, with its owners and own values. */
  @ApiPropertyOptional({
    type: String,
    enum: ['host', 'all'],
    description:
      '`host` (default): the host set only; `all`: every namespace set alive at `at`, with its owners and own values.',
    example: 'all',
  })
  @IsOptional()
  @IsString()
  namespaces?: string;
}

/** Query of POST /baselines. */
export class BaselineImportQuery {
  @ApiProperty({
    required: true,
    type: String,
    description: `Name to store the baseline under (required): ${BASELINE_NAME_RULE}.`,
    example: 'prod-web-2026-11',
  })
  @IsOptional()
  @IsString()
  name?: string;

  /** `true` replaces a baseline of the same name instead of answering 409. */
  @ApiPropertyOptional({
    type: String,
    enum: ['true', 'false'],
    description: '`true` replaces a baseline of the same name instead of answering 409.',
    example: 'true',
  })
  @IsOptional()
  @IsString()
  replace?: string;
}

/** Query of GET /diff/baseline/:name. */
export class BaselineDiffQuery {
  @ApiPropertyOptional({
    type: String,
    description: timeParam('The instant of this host to compare; default now.'),
    example: '-15m',
  })
  @IsOptional()
  @IsString()
  at?: string;

  @ApiPropertyOptional({
    type: String,
    enum: [...SCOPES],
    description: 'Only keys of this scope.',
    example: 'net',
  })
  @IsOptional()
  @IsString()
  scope?: string;
}

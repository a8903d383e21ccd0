import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { namespaceParam, timeParam } from '../../docs/api-doc-texts.js';
import { SCOPES } from '../../domain/sysctl/sysctl-types.js';

/** Query of GET /settings. */
export class SettingsListQuery {
  @ApiPropertyOptional({
    type: String,
    maxLength: 256,
    description: 'Only keys starting with this text.',
    example: 'net.netfilter.',
  })
  @IsOptional()
  @IsString()
  prefix?: string;

  @ApiPropertyOptional({
    type: String,
    enum: [...SCOPES],
    description: 'Only keys of this scope.',
    example: 'net',
  })
  @IsOptional()
  @IsString()
  scope?: string;

  @ApiPropertyOptional({
    type: String,
    maxLength: 256,
    description: 'Only keys containing this text.',
    example: 'somaxconn',
  })
  @IsOptional()
  @IsString()
  q?: string;

  @ApiPropertyOptional({ type: String, description: timeParam('The instant; default now.'), example: '-1h' })
  @IsOptional()
  @IsString()
  at?: string;

  @ApiPropertyOptional({
    type: String,
    description: namespaceParam('Values as seen in this set; default `host`.'),
    example: 'host',
  })
  @IsOptional()
  @IsString()
  namespace?: string;
}

/** Query of GET /settings/:key/history. */
export class SettingHistoryQuery {
  @ApiPropertyOptional({
    type: String,
    description: timeParam('Start of the window; default: the beginning.'),
    example: '-7d',
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
    description: namespaceParam('The namespace set; default `host`.'),
    example: 'host',
  })
  @IsOptional()
  @IsString()
  namespace?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { timeParam } from '../../docs/api-doc-texts.js';
import { PAGE_CURSOR, PAGE_LIMIT } from '../params/key-page.js';

/** Query of GET /namespaces and GET /namespaces/:ns. */
export class NamespacesAtQuery {
  @ApiPropertyOptional({ type: String, description: timeParam('The instant; default now.'), example: '-1h' })
  @IsOptional()
  @IsString()
  at?: string;
}

/** Query of GET /namespaces/:ns/settings. */
export class EffectiveSettingsQuery {
  @ApiPropertyOptional({ type: String, description: timeParam('The instant; default now.'), example: '-1h' })
  @IsOptional()
  @IsString()
  at?: string;

  @ApiPropertyOptional({
    type: String,
    maxLength: 256,
    description: 'Only keys starting with this text.',
    example: 'net.ipv4.',
  })
  @IsOptional()
  @IsString()
  prefix?: string;

  @ApiPropertyOptional({ type: String, pattern: '^\\d+$', description: PAGE_LIMIT, example: '100' })
  @IsOptional()
  @IsString()
  limit?: string;

  @ApiPropertyOptional({ type: String, description: PAGE_CURSOR, example: 'net.ipv4.tcp_rmem' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

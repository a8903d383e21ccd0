import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { timeParam } from '../../docs/api-doc-texts.js';
import { KeyPageQuery } from '../params/key-page.query.js';

/** Query of GET /namespaces and GET /namespaces/:ns. */
export class NamespacesAtQuery {
  @ApiPropertyOptional({ type: String, description: timeParam('The instant; default now.'), example: '-1h' })
  @IsOptional()
  @IsString()
  at?: string;
}

/** Query of GET /namespaces/:ns/settings. */
export class EffectiveSettingsQuery extends KeyPageQuery {
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
}

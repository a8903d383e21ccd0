import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { PAGE_CURSOR, PAGE_LIMIT } from './key-page.js';

/** `limit` and `cursor` of a key-ordered list (parsed by keyPageParams); query DTOs of paged routes extend it. */
export class KeyPageQuery {
  @ApiPropertyOptional({ type: String, pattern: '^\\d+$', description: PAGE_LIMIT, example: '100' })
  @IsOptional()
  @IsString()
  limit?: string;

  @ApiPropertyOptional({ type: String, description: PAGE_CURSOR, example: 'net.ipv4.tcp_rmem' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { namespaceParam, timeParam } from '../../docs/api-doc-texts.js';
import { KERNEL_SIGNATURE_IDS } from '../../domain/kernel-events/kernel-signatures.js';

/** Query of GET /kernel-events. Values stay strings here; the service parses them and names the bad one. */
export class KernelEventsQuery {
  @ApiPropertyOptional({
    type: String,
    description: timeParam('Events that last until at least this time; default: the beginning.'),
    example: '-2h',
  })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({
    type: String,
    description: timeParam('Events that started by this time; default now.'),
    example: '2026-11-29T14:03:00Z',
  })
  @IsOptional()
  @IsString()
  to?: string;

  @ApiPropertyOptional({
    type: String,
    enum: [...KERNEL_SIGNATURE_IDS],
    description: 'Only events of this signature.',
    example: 'conntrack-table-full',
  })
  @IsOptional()
  @IsString()
  signature?: string;

  @ApiPropertyOptional({
    type: String,
    description: namespaceParam('Only events the kernel attributed to this set.'),
    example: 'host',
  })
  @IsOptional()
  @IsString()
  namespace?: string;

  @ApiPropertyOptional({
    type: String,
    pattern: '^\\d+$',
    description: 'At most this many events, newest first: 1 to 5000 (default 500).',
    example: '100',
  })
  @IsOptional()
  @IsString()
  limit?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { InterfacesQuery } from '../params/interfaces.query.js';
import { KEY_PAGE_DEFAULT, KEY_PAGE_MAX } from '../params/key-page.query.js';

/** Query of GET /snapshots/:id: a page of its changes, as /diff pages its keys. */
export class SnapshotChangesQuery {
  @ApiPropertyOptional({
    type: String,
    pattern: '^\\d+$',
    description: `Changes per page: 1 to ${KEY_PAGE_MAX} (default ${KEY_PAGE_DEFAULT}).`,
    example: '200',
  })
  @IsOptional()
  @IsString()
  limit?: string;

  @ApiPropertyOptional({
    type: String,
    pattern: '^\\d+$',
    description: 'The `nextCursor` of the previous page, for the next one.',
    example: '918233',
  })
  @IsOptional()
  @IsString()
  cursor?: string;

  @InterfacesQuery('changes')
  interfaces?: string;
}

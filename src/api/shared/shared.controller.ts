import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { timeParam } from '../../docs/api-doc-texts.js';
import { ApiBadRequestError, badTimeMessage } from '../../docs/api-errors.docs.js';
import { TimeQuery } from '../params/query-params.js';
import { SharedService } from './shared.service.js';
import { type SharedKeyView, SharedResult } from './shared.views.js';

export class SharedQuery {
  @TimeQuery({ description: timeParam('The instant; default now.'), example: '-1h' })
  at?: number;
}

@ApiTags('shared')
@Controller('shared')
export class SharedController {
  constructor(private readonly shared: SharedService) {}

  /** Global and mirrored keys seen inside containers on this host, with how many sets see each. */
  @Get()
  @ApiOperation({
    summary: 'Global and mirrored keys seen inside containers on this host, with how many sets see each',
  })
  @ApiOkResponse({ type: SharedResult })
  @ApiBadRequestError(badTimeMessage('at'))
  list(@Query() query: SharedQuery): Promise<{ at: string; namespaces: number; items: SharedKeyView[] }> {
    return this.shared.shared(query.at);
  }
}

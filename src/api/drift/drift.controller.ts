import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { timeParam } from '../../docs/api-doc-texts.js';
import { ApiBadRequestError, badTimeMessage } from '../../docs/api-errors.docs.js';
import { TimeQuery } from '../params/query-params.js';
import { DriftService } from './drift.service.js';
import { DriftResult } from './drift.views.js';

export class DriftQuery {
  @TimeQuery({ description: timeParam('The instant; default now.'), example: '-1h' })
  at?: number;
}

@ApiTags('drift')
@Controller('drift')
export class DriftController {
  constructor(private readonly drift: DriftService) {}

  /** Keys whose runtime value differs from what the boot configuration (sysctl.d) would set. */
  @Get()
  @ApiOperation({
    summary:
      'Keys whose runtime value differs from what the boot configuration (sysctl.d) would set, and configured keys this kernel does not have',
  })
  @ApiOkResponse({ type: DriftResult })
  @ApiBadRequestError(badTimeMessage('at'))
  list(@Query() query: DriftQuery): Promise<DriftResult> {
    return this.drift.drift(query.at);
  }
}

import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiBadRequestError, ApiNotFoundError, badTimeMessage } from '../../docs/api-errors.docs.js';
import { BaselineDiffQuery } from './baseline.queries.js';
import { BaselineDiffResult } from './baseline.views.js';
import { BaselineDiffService } from './baseline-diff.service.js';
import { BASELINE_NAME_PARAM } from './baselines.controller.js';

/** Its own class beside DiffController (`diff`, `diff/namespaces`): host vs an imported baseline. */
@ApiTags('diff', 'baselines')
@Controller('diff/baseline')
export class BaselineDiffController {
  constructor(private readonly diffs: BaselineDiffService) {}

  /** Keys that differ between this host at `at` and the baseline, host-wide keys first. */
  @Get(':name')
  @ApiOperation({
    summary: 'Keys that differ between this host at `at` and an imported baseline, host-wide keys first',
  })
  @ApiParam(BASELINE_NAME_PARAM)
  @ApiOkResponse({ type: BaselineDiffResult })
  @ApiBadRequestError(badTimeMessage('at'))
  @ApiNotFoundError("baseline 'prod-web-2026-11' does not exist")
  diff(@Param('name') name: string, @Query() query: BaselineDiffQuery): Promise<BaselineDiffResult> {
    return this.diffs.diff(name, query);
  }
}

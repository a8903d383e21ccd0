import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiBadRequestError,
  ApiNotFoundError,
  ApiTimeAndNamespaceErrors,
} from '../../docs/api-errors.docs.js';
import { LimitsResult, UsageResult } from './limit.views.js';
import { LimitsQuery, UsageQuery } from './limits.queries.js';
import { LimitsService } from './limits.service.js';
import { UsageService } from './usage.service.js';

/** Usage against limits: /limits (every pair at one instant) and /usage (one series over time). */
@ApiTags('limits')
@Controller()
export class LimitsController {
  constructor(
    private readonly limitsService: LimitsService,
    private readonly usageService: UsageService,
  ) {}

  /** Every limit pair at `at`: usage, limit, ratio and the sets holding the most, highest ratio first. */
  @Get('limits')
  @ApiOperation({
    summary: 'Every usage/limit pair at `at`, highest ratio first, with the sets holding the most',
  })
  @ApiOkResponse({ type: LimitsResult })
  @ApiTimeAndNamespaceErrors('at')
  limits(@Query() query: LimitsQuery): Promise<LimitsResult> {
    return this.limitsService.limits(query);
  }

  /** One metric of one namespace set over [from, to], as steps; counters with a per-second rate. */
  @Get('usage')
  @ApiOperation({
    summary: 'One metric of one namespace set over [from, to], as steps; counters with a per-second rate',
  })
  @ApiOkResponse({ type: UsageResult })
  @ApiBadRequestError("metric: unknown metric 'conntrack.entrie'; known: conntrack.entries, …")
  @ApiNotFoundError("namespace 'web-1' matches no namespace set, container or netns")
  usage(@Query() query: UsageQuery): Promise<UsageResult> {
    return this.usageService.usage(query);
  }
}

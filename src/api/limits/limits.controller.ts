import { Controller, Get, Query } from '@nestjs/common';
import type { LimitsResult, UsageResult } from './limit.views.js';
import { LimitsQuery, UsageQuery } from './limits.queries.js';
import { LimitsService } from './limits.service.js';
import { UsageService } from './usage.service.js';

/** Usage against limits: /limits (every pair at one instant) and /usage (one series over time). */
@Controller()
export class LimitsController {
  constructor(
    private readonly limitsService: LimitsService,
    private readonly usageService: UsageService,
  ) {}

  /** Every limit pair at `at`: usage, limit, ratio and the sets holding the most, highest ratio first. */
  @Get('limits')
  limits(@Query() query: LimitsQuery): Promise<LimitsResult> {
    return this.limitsService.limits(query);
  }

  /** One metric of one namespace set over [from, to], as steps; counters with a per-second rate. */
  @Get('usage')
  usage(@Query() query: UsageQuery): Promise<UsageResult> {
    return this.usageService.usage(query);
  }
}

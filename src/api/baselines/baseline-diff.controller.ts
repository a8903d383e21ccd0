import { Controller, Get, Param, Query } from '@nestjs/common';
import { BaselineDiffQuery } from './baseline.queries.js';
import type { BaselineDiffResult } from './baseline.views.js';
import { BaselineDiffService } from './baseline-diff.service.js';

/** Its own class beside DiffController (`diff`, `diff/namespaces`): host vs an imported baseline. */
@Controller('diff/baseline')
export class BaselineDiffController {
  constructor(private readonly diffs: BaselineDiffService) {}

  /** Keys that differ between this host at `at` and the baseline, host-wide keys first. */
  @Get(':name')
  diff(@Param('name') name: string, @Query() query: BaselineDiffQuery): Promise<BaselineDiffResult> {
    return this.diffs.diff(name, query);
  }
}

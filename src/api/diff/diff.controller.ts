import { Controller, Get, Query } from '@nestjs/common';
import { DiffQuery } from './diff.query.js';
import type { DiffResult } from './diff.views.js';
import { DiffService } from './diff.service.js';

@Controller('diff')
export class DiffController {
  constructor(private readonly diffs: DiffService) {}

  /** Every key whose value differs between two instants (added and removed keys marked). */
  @Get()
  diff(@Query() query: DiffQuery): Promise<DiffResult> {
    return this.diffs.diffTimes(query);
  }
}

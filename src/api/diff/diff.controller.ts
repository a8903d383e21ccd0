import { Controller, Get, Query } from '@nestjs/common';
import { DiffQuery, NamespaceDiffQuery } from './diff.query.js';
import type { DiffResult } from './diff.views.js';
import { DiffService } from './diff.service.js';
import { NamespaceDiffService, type NamespaceDiffResult } from './namespace-diff.service.js';

@Controller('diff')
export class DiffController {
  constructor(
    private readonly diffs: DiffService,
    private readonly namespaceDiffs: NamespaceDiffService,
  ) {}

  /** Every key whose value differs between two instants in one namespace set (added and removed keys marked). */
  @Get()
  diff(@Query() query: DiffQuery): Promise<DiffResult> {
    return this.diffs.diffTimes(query);
  }

  /** Namespaced keys that differ between two sets, and the global keys they share. */
  @Get('namespaces')
  namespaces(@Query() query: NamespaceDiffQuery): Promise<NamespaceDiffResult> {
    return this.namespaceDiffs.diff(query);
  }
}

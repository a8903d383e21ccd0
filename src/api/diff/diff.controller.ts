import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiBadRequestError, ApiNotFoundError } from '../../docs/api-errors.docs.js';
import { DiffQuery, NamespaceDiffQuery } from './diff.query.js';
import { DiffResult } from './diff.views.js';
import { DiffService } from './diff.service.js';
import { NamespaceDiffService } from './namespace-diff.service.js';
import { NamespaceDiffResult } from './namespace-diff.views.js';

@ApiTags('diff')
@Controller('diff')
export class DiffController {
  constructor(
    private readonly diffs: DiffService,
    private readonly namespaceDiffs: NamespaceDiffService,
  ) {}

  /** Every key whose value differs between two instants in one namespace set (added and removed keys marked). */
  @Get()
  @ApiOperation({
    summary:
      'Every key whose value differs between two instants in one namespace set (added and removed marked)',
  })
  @ApiOkResponse({ type: DiffResult })
  @ApiBadRequestError('from: required (ISO-8601, epoch ms, or relative like -1h)')
  @ApiNotFoundError("namespace 'web-1' matches no namespace set, container or netns")
  diff(@Query() query: DiffQuery): Promise<DiffResult> {
    return this.diffs.diffTimes(query);
  }

  /** Namespaced keys that differ between two sets, and the global keys they share. */
  @Get('namespaces')
  @ApiOperation({
    summary: 'Namespaced keys that differ between two sets at one instant, and the global keys they share',
  })
  @ApiOkResponse({ type: NamespaceDiffResult })
  @ApiBadRequestError('a: required: a namespace id, host, container or netns name')
  @ApiNotFoundError("b 'web-1' matches no namespace set, container or netns")
  namespaces(@Query() query: NamespaceDiffQuery): Promise<NamespaceDiffResult> {
    return this.namespaceDiffs.diff(query);
  }
}

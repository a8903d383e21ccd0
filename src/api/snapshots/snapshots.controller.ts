import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiBadRequestError, ApiNotFoundError, badTimeMessage } from '../../docs/api-errors.docs.js';
import { SnapshotService } from '../../snapshot/snapshot.service.js';
import { intParam } from '../params/request-params.js';
import { SnapshotDetail, SnapshotPage } from './snapshot.views.js';
import { SnapshotChangesQuery } from './snapshot-changes.query.js';
import { SnapshotListQuery } from './snapshot-list.query.js';
import { SnapshotsQueryService } from './snapshots.service.js';

@ApiTags('snapshots')
@Controller('snapshots')
export class SnapshotsController {
  constructor(
    private readonly queries: SnapshotsQueryService,
    private readonly snapshots: SnapshotService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Snapshots, newest first, a page at a time' })
  @ApiOkResponse({ type: SnapshotPage })
  @ApiBadRequestError(badTimeMessage('from'))
  list(@Query() query: SnapshotListQuery): Promise<SnapshotPage> {
    return this.queries.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One snapshot with the changes it recorded, a page at a time' })
  @ApiParam({
    name: 'id',
    description: 'Snapshot id.',
    example: '4812',
    schema: { type: 'string', pattern: '^\\d+$', example: '4812' },
  })
  @ApiOkResponse({ type: SnapshotDetail })
  @ApiBadRequestError("id: 'abc' is not a whole number from 1 to 9007199254740991")
  @ApiNotFoundError('snapshot 4812 does not exist')
  get(@Param('id') id: string, @Query() query: SnapshotChangesQuery): Promise<SnapshotDetail> {
    return this.queries.get(intParam('id', id, 1, Number.MAX_SAFE_INTEGER) ?? 0, query);
  }

  /** Takes a snapshot now (after any in progress) and returns it with the first page of its changes. */
  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Takes a snapshot now (after any in progress) and returns it with the first page of its changes',
  })
  @ApiCreatedResponse({ type: SnapshotDetail })
  async take(): Promise<SnapshotDetail> {
    const summary = await this.snapshots.runOnce('api');
    return this.queries.get(summary.id);
  }
}

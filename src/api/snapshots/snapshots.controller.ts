import { Controller, Get, HttpCode, Param, Post, Query, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiBadRequestError, ApiNotFoundError, badTimeMessage } from '../../docs/api-errors.docs.js';
import { SnapshotService } from '../../snapshot/snapshot.service.js';
import { isStorageFault } from '../../storage/storage-write.error.js';
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
  @ApiServiceUnavailableResponse({
    description: 'The snapshot could not be taken or recorded; /health says so too.',
    schema: {
      type: 'object',
      required: ['statusCode', 'error', 'message'],
      properties: {
        statusCode: { type: 'integer', example: 503 },
        error: { type: 'string', example: 'Service Unavailable' },
        message: {
          type: 'string',
          example: "the snapshot could not be taken: ENOENT: no such file or directory, scandir '/proc'",
        },
      },
    },
  })
  async take(): Promise<SnapshotDetail> {
    const summary = await this.snapshots.runOnce('api').catch((error: unknown) => {
      // A storage fault answers 503 with SQLite's reason (the exception filter); anything else is collection.
      if (isStorageFault(error)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ServiceUnavailableException(`the snapshot could not be taken: ${reason}`);
    });
    return this.queries.get(summary.id);
  }
}

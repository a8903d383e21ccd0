import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { SnapshotService } from '../../snapshot/snapshot.service.js';
import { intParam } from '../params/request-params.js';
import type { SnapshotDetail, SnapshotPage } from './snapshot.views.js';
import { SnapshotListQuery } from './snapshot-list.query.js';
import { SnapshotsQueryService } from './snapshots.service.js';

@Controller('snapshots')
export class SnapshotsController {
  constructor(
    private readonly queries: SnapshotsQueryService,
    private readonly snapshots: SnapshotService,
  ) {}

  @Get()
  list(@Query() query: SnapshotListQuery): Promise<SnapshotPage> {
    return this.queries.list(query);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<SnapshotDetail> {
    return this.queries.get(intParam('id', id, 1, Number.MAX_SAFE_INTEGER) ?? 0);
  }

  /** Takes a snapshot now (after any in progress) and returns it with its changes. */
  @Post()
  @HttpCode(201)
  async take(): Promise<SnapshotDetail> {
    const summary = await this.snapshots.runOnce('api');
    return this.queries.get(summary.id);
  }
}

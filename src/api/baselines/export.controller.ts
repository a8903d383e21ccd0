import { Controller, Get, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiBadRequestError, ApiNotFoundError, badTimeMessage } from '../../docs/api-errors.docs.js';
import type { Bundle } from '../../domain/baselines/bundle-types.js';
import { ExportQuery } from './baseline.queries.js';
import { BundleClassificationView, BundleView } from './baseline.views.js';
import { ExportService } from './export.service.js';

@ApiTags('export')
@ApiExtraModels(BundleClassificationView)
@Controller('export')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  /** The bundle of one instant: host facts, classification, host values (and every set with `namespaces=all`). */
  @Get()
  @ApiOperation({
    summary:
      'The bundle of one instant: host facts, classification, host values (every set with `namespaces=all`)',
  })
  @ApiOkResponse({ type: BundleView })
  @ApiBadRequestError(badTimeMessage('at'))
  @ApiNotFoundError('no snapshot was taken at or before 2026-11-01T00:00:00.000Z')
  export(@Query() query: ExportQuery): Promise<Bundle> {
    return this.exports.export(query);
  }
}

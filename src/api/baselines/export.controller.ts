import { Controller, Get, Query } from '@nestjs/common';
import type { Bundle } from '../../domain/baselines/bundle-types.js';
import { ExportQuery } from './baseline.queries.js';
import { ExportService } from './export.service.js';

@Controller('export')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  /** The bundle of one instant: host facts, classification, host values (and every set with `namespaces=all`). */
  @Get()
  export(@Query() query: ExportQuery): Promise<Bundle> {
    return this.exports.export(query);
  }
}

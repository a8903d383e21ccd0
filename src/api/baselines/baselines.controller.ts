import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { BaselineImportQuery } from './baseline.queries.js';
import type { BaselineDetail, BaselineImported, BaselineSummary } from './baseline.views.js';
import { BaselinesService } from './baselines.service.js';

@Controller('baselines')
export class BaselinesController {
  constructor(private readonly baselines: BaselinesService) {}

  /** Imports an export bundle (the JSON body) under `name`; 409 when taken unless `replace=true`. */
  @Post()
  @HttpCode(201)
  import(@Query() query: BaselineImportQuery, @Body() body: unknown): Promise<BaselineImported> {
    return this.baselines.import(query, body);
  }

  @Get()
  list(): Promise<{ count: number; items: BaselineSummary[] }> {
    return this.baselines.list();
  }

  /** One baseline with its stored bundle. */
  @Get(':name')
  get(@Param('name') name: string): Promise<BaselineDetail> {
    return this.baselines.get(name);
  }

  @Delete(':name')
  @HttpCode(204)
  remove(@Param('name') name: string): Promise<void> {
    return this.baselines.remove(name);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ApiBadRequestError, ApiConflictError, ApiNotFoundError } from '../../docs/api-errors.docs.js';
import { BASELINE_NAME_RULE } from '../../domain/baselines/baseline-name.js';
import { BaselineImportQuery } from './baseline.queries.js';
import {
  BaselineDetail,
  BaselineImported,
  BaselineList,
  BaselineSummary,
  BundleView,
} from './baseline.views.js';
import { BaselinesService } from './baselines.service.js';

export const BASELINE_NAME_PARAM = {
  name: 'name',
  description: `Baseline name: ${BASELINE_NAME_RULE}.`,
  example: 'prod-web-2026-11',
};
const NOT_FOUND = "baseline 'prod-web-2026-11' does not exist";

@ApiTags('baselines')
@Controller('baselines')
export class BaselinesController {
  constructor(private readonly baselines: BaselinesService) {}

  /** Imports an export bundle (the JSON body) under `name`; 409 when taken unless `replace=true`. */
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Imports an export bundle (the answer of GET /export) under `name`' })
  @ApiBody({ type: BundleView, description: 'A bundle from GET /export, as it was answered.' })
  @ApiCreatedResponse({ type: BaselineImported })
  @ApiBadRequestError(`name: required: ${BASELINE_NAME_RULE}`)
  @ApiConflictError("baseline 'prod-web-2026-11' already exists; pass replace=true to overwrite it")
  import(@Query() query: BaselineImportQuery, @Body() body: unknown): Promise<BaselineImported> {
    return this.baselines.import(query, body);
  }

  @Get()
  @ApiOperation({ summary: 'Every imported baseline' })
  @ApiOkResponse({ type: BaselineList })
  list(): Promise<{ count: number; items: BaselineSummary[] }> {
    return this.baselines.list();
  }

  /** One baseline with its stored bundle. */
  @Get(':name')
  @ApiOperation({ summary: 'One baseline with its stored bundle' })
  @ApiParam(BASELINE_NAME_PARAM)
  @ApiOkResponse({ type: BaselineDetail })
  @ApiBadRequestError(`name: '../x' is not a baseline name (${BASELINE_NAME_RULE})`)
  @ApiNotFoundError(NOT_FOUND)
  get(@Param('name') name: string): Promise<BaselineDetail> {
    return this.baselines.get(name);
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes a baseline' })
  @ApiParam(BASELINE_NAME_PARAM)
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiBadRequestError(`name: '../x' is not a baseline name (${BASELINE_NAME_RULE})`)
  @ApiNotFoundError(NOT_FOUND)
  remove(@Param('name') name: string): Promise<void> {
    return this.baselines.remove(name);
  }
}

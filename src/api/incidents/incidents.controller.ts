import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiBadRequestError,
  ApiConflictError,
  ApiNotFoundError,
  badTimeMessage,
} from '../../docs/api-errors.docs.js';
import { IdParam } from '../params/query-params.js';
import {
  CreateIncidentDto,
  IncidentListQuery,
  IncidentReportQuery,
  UpdateIncidentDto,
} from './incident.dto.js';
import { IncidentReport, IncidentView } from './incident.views.js';
import { IncidentReportService } from './incident-report.service.js';
import { IncidentsService } from './incidents.service.js';

/** The answer of GET /incidents (documentation only). */
export class IncidentList {
  @ApiProperty({ type: () => [IncidentView] })
  items!: IncidentView[];
}

const ID_PARAM = {
  name: 'id',
  description: 'Incident id.',
  example: '7',
  schema: { type: 'string', pattern: '^\\d+$', example: '7' },
} as const;
const NOT_FOUND = 'incident 7 does not exist';
const BAD_ID = "id: 'abc' is not a whole number from 1 to 9007199254740991";

@ApiTags('incidents')
@Controller('incidents')
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly reports: IncidentReportService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Records an incident (what happened, when, where) to explain' })
  @ApiCreatedResponse({ type: IncidentView })
  @ApiBadRequestError(badTimeMessage('startedAt'))
  @ApiNotFoundError("namespace 'web-1' matches no namespace set, container or netns")
  create(@Body() body: CreateIncidentDto): Promise<IncidentView> {
    return this.incidents.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'Incidents started in [from, to], newest first' })
  @ApiOkResponse({ type: IncidentList })
  @ApiBadRequestError(badTimeMessage('from'))
  list(@Query() query: IncidentListQuery): Promise<{ items: IncidentView[] }> {
    return this.incidents.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One incident' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: IncidentView })
  @ApiBadRequestError(BAD_ID)
  @ApiNotFoundError(NOT_FOUND)
  get(@IdParam('id') id: number): Promise<IncidentView> {
    return this.incidents.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Ends, reopens or renames an incident' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: IncidentView })
  @ApiBadRequestError(badTimeMessage('endedAt'))
  @ApiNotFoundError(NOT_FOUND)
  @ApiConflictError(
    "endedAt (2026-11-29T13:00:00.000Z) is before the incident's startedAt (2026-11-29T14:03:00.000Z)",
  )
  update(@IdParam('id') id: number, @Body() body: UpdateIncidentDto): Promise<IncidentView> {
    return this.incidents.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes an incident' })
  @ApiParam(ID_PARAM)
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiBadRequestError(BAD_ID)
  @ApiNotFoundError(NOT_FOUND)
  remove(@IdParam('id') id: number): Promise<void> {
    return this.incidents.remove(id);
  }

  /** Ranked suspects with evidence, and a timeline of the window. */
  @Get(':id/report')
  @ApiOperation({ summary: 'Ranked suspects with evidence, and a timeline of the window' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: IncidentReport })
  @ApiBadRequestError("lookback: '2y' is not a duration like 30m, 1h or 7d (at most 90d)")
  @ApiNotFoundError(NOT_FOUND)
  report(@IdParam('id') id: number, @Query() query: IncidentReportQuery): Promise<IncidentReport> {
    return this.reports.report(id, query);
  }
}

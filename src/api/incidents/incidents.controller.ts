import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { intParam } from '../params/request-params.js';
import { CreateIncidentDto, IncidentListQuery, IncidentReportQuery } from './incident.dto.js';
import type { IncidentReport, IncidentView } from './incident.views.js';
import { IncidentReportService } from './incident-report.service.js';
import { IncidentsService } from './incidents.service.js';

const idOf = (raw: string): number => intParam('id', raw, 1, Number.MAX_SAFE_INTEGER) ?? 0;

@Controller('incidents')
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly reports: IncidentReportService,
  ) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: CreateIncidentDto): Promise<IncidentView> {
    return this.incidents.create(body);
  }

  @Get()
  list(@Query() query: IncidentListQuery): Promise<{ items: IncidentView[] }> {
    return this.incidents.list(query);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<IncidentView> {
    return this.incidents.get(idOf(id));
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id') id: string): Promise<void> {
    return this.incidents.remove(idOf(id));
  }

  /** Ranked suspects with evidence, and a timeline of the window. */
  @Get(':id/report')
  report(@Param('id') id: string, @Query() query: IncidentReportQuery): Promise<IncidentReport> {
    return this.reports.report(idOf(id), query);
  }
}

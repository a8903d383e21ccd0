import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiTimeAndNamespaceErrors } from '../../docs/api-errors.docs.js';
import { KernelEventPage } from './kernel-event.views.js';
import { KernelEventsQuery } from './kernel-events.query.js';
import { KernelEventsQueryService } from './kernel-events.service.js';

@ApiTags('kernel-events')
@Controller('kernel-events')
export class KernelEventsController {
  constructor(private readonly queries: KernelEventsQueryService) {}

  /** Kernel log events overlapping [from, to], newest first; filters: signature, namespace. */
  @Get()
  @ApiOperation({ summary: 'Kernel log events overlapping [from, to], newest first' })
  @ApiOkResponse({ type: KernelEventPage })
  @ApiTimeAndNamespaceErrors('from')
  list(@Query() query: KernelEventsQuery): Promise<KernelEventPage> {
    return this.queries.list(query);
  }
}

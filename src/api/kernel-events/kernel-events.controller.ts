import { Controller, Get, Query } from '@nestjs/common';
import type { KernelEventPage } from './kernel-event.views.js';
import { KernelEventsQuery } from './kernel-events.query.js';
import { KernelEventsQueryService } from './kernel-events.service.js';

@Controller('kernel-events')
export class KernelEventsController {
  constructor(private readonly queries: KernelEventsQueryService) {}

  /** Kernel log events overlapping [from, to], newest first; filters: signature, namespace. */
  @Get()
  list(@Query() query: KernelEventsQuery): Promise<KernelEventPage> {
    return this.queries.list(query);
  }
}

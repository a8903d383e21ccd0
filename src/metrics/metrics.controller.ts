import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Registry } from 'prom-client';
import { MetricsService } from './metrics.service.js';

/** Prometheus scrape endpoint, at the root (see METRICS_ROUTE). Answers from memory, never from the database. */
@ApiTags('metrics')
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics (text exposition format), every series prefixed kernel_ledger_',
  })
  @ApiProduces(Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOkResponse({
    description: 'Snapshot, collector, webhook and process series, and usage/limit gauges per namespace set',
    schema: {
      type: 'string',
      example: 'kernel_ledger_usage{metric="files.allocated",namespace="host",owner="host"} 2848\n',
    },
  })
  scrape(): Promise<string> {
    return this.metrics.render();
  }
}

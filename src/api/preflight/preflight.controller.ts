import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { NAMESPACE_FORMS } from '../../docs/api-doc-texts.js';
import { ApiBadRequestError, ApiNotFoundError } from '../../docs/api-errors.docs.js';
import { PreflightBody } from './preflight.dto.js';
import { PreflightService } from './preflight.service.js';
import { NamespaceNotInherited, NotInheritedReport, PreflightResult } from './preflight.views.js';

@ApiTags('preflight')
@Controller()
export class PreflightController {
  constructor(private readonly preflight: PreflightService) {}

  /** Will these sysctls be accepted? Answered from what the agent knows of this kernel; nothing is written. */
  @Post('preflight')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Will these sysctls be accepted by the runtime on this host, and what will the container not inherit?',
  })
  @ApiOkResponse({ type: PreflightResult })
  @ApiBadRequestError('manifest: not valid YAML or JSON (document 1): …')
  judge(@Body() body: PreflightBody): Promise<PreflightResult> {
    return this.preflight.preflight(body);
  }

  /** Every host-tuned namespaced key a new container does not get, and the running sets still at the default. */
  @Get('not-inherited')
  @ApiOperation({
    summary: 'What a new container gets: host-tuned namespaced keys a fresh namespace does not inherit',
  })
  @ApiOkResponse({ type: NotInheritedReport })
  @ApiNotFoundError('no snapshot of the host has been recorded yet')
  report(): Promise<NotInheritedReport> {
    return this.preflight.notInheritedReport();
  }

  /** One set's keys still at the fresh-namespace default while the host is tuned. */
  @Get('namespaces/:ns/not-inherited')
  @ApiOperation({ summary: 'Keys of one namespace set still at the kernel default while the host is tuned' })
  @ApiParam({ name: 'ns', description: NAMESPACE_FORMS, example: 'web-1' })
  @ApiOkResponse({ type: NamespaceNotInherited })
  @ApiNotFoundError("ns 'web-9' matches no namespace set, container or netns")
  forNamespace(@Param('ns') ns: string): Promise<NamespaceNotInherited> {
    return this.preflight.forNamespace(ns);
  }
}

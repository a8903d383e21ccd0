import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { NAMESPACE_FORMS } from '../../docs/api-doc-texts.js';
import { ApiBadRequestError, ApiTimeAndNamespaceErrors, badTimeMessage } from '../../docs/api-errors.docs.js';
import { EffectiveSettingsQuery, NamespacesAtQuery } from './namespaces.queries.js';
import { EffectiveSettingsPage, NamespaceDetail, NamespaceView } from './namespace.views.js';
import { NamespacesService } from './namespaces.service.js';

/** The answer of GET /namespaces (documentation only). */
export class NamespaceList {
  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  at!: string;

  @ApiProperty({ type: () => [NamespaceView] })
  items!: NamespaceView[];
}

const NS_PARAM = { name: 'ns', description: NAMESPACE_FORMS, example: 'web-1' };

@ApiTags('namespaces')
@Controller('namespaces')
export class NamespacesController {
  constructor(private readonly namespaces: NamespacesService) {}

  /** Every namespace set alive at `at` with its owners. */
  @Get()
  @ApiOperation({ summary: 'Every namespace set alive at `at`, with its owners' })
  @ApiOkResponse({ type: NamespaceList })
  @ApiBadRequestError(badTimeMessage('at'))
  list(@Query() query: NamespacesAtQuery): Promise<{ at: string; items: NamespaceView[] }> {
    return this.namespaces.list(query);
  }

  /** One set (id, `host`, container name or id, netns name) with declared-vs-effective sysctl mismatches. */
  @Get(':ns')
  @ApiOperation({
    summary: 'One namespace set, with declared-vs-effective sysctl mismatches of its containers',
  })
  @ApiParam(NS_PARAM)
  @ApiOkResponse({ type: NamespaceDetail })
  @ApiTimeAndNamespaceErrors('at', 'ns')
  detail(@Param('ns') ns: string, @Query() query: NamespacesAtQuery): Promise<NamespaceDetail> {
    return this.namespaces.detail(ns, query);
  }

  /** The settings in force inside the set at `at`, each marked with where its value comes from. */
  @Get(':ns/settings')
  @ApiOperation({
    summary: 'The settings in force inside the set at `at`, each marked with where its value comes from',
  })
  @ApiParam(NS_PARAM)
  @ApiOkResponse({ type: EffectiveSettingsPage })
  @ApiTimeAndNamespaceErrors('at', 'ns')
  settings(@Param('ns') ns: string, @Query() query: EffectiveSettingsQuery): Promise<EffectiveSettingsPage> {
    return this.namespaces.effectiveSettings(ns, query);
  }
}

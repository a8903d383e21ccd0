import { Controller, Get, Param, Query } from '@nestjs/common';
import { EffectiveSettingsQuery, NamespacesAtQuery } from './namespaces.queries.js';
import type { EffectiveSettingsPage, NamespaceDetail, NamespaceView } from './namespace.views.js';
import { NamespacesService } from './namespaces.service.js';

@Controller('namespaces')
export class NamespacesController {
  constructor(private readonly namespaces: NamespacesService) {}

  /** Every namespace set alive at `at` with its owners. */
  @Get()
  list(@Query() query: NamespacesAtQuery): Promise<{ at: string; items: NamespaceView[] }> {
    return this.namespaces.list(query);
  }

  /** One set (id, `host`, container name or id, netns name) with declared-vs-effective sysctl mismatches. */
  @Get(':ns')
  detail(@Param('ns') ns: string, @Query() query: NamespacesAtQuery): Promise<NamespaceDetail> {
    return this.namespaces.detail(ns, query);
  }

  /** The settings in force inside the set at `at`, each marked with where its value comes from. */
  @Get(':ns/settings')
  settings(@Param('ns') ns: string, @Query() query: EffectiveSettingsQuery): Promise<EffectiveSettingsPage> {
    return this.namespaces.effectiveSettings(ns, query);
  }
}

import { Controller, Get, Param, Query } from '@nestjs/common';
import { SettingHistoryQuery, SettingsListQuery } from './settings.queries.js';
import type { SettingDetail, SettingHistory, SettingsPage } from './setting.views.js';
import { SettingsQueryService } from './settings.service.js';

@Controller('settings')
export class SettingsController {
  constructor(private readonly settings: SettingsQueryService) {}

  @Get()
  list(@Query() query: SettingsListQuery): Promise<SettingsPage> {
    return this.settings.list(query);
  }

  @Get(':key')
  get(@Param('key') key: string): Promise<SettingDetail> {
    return this.settings.get(key);
  }

  @Get(':key/history')
  history(@Param('key') key: string, @Query() query: SettingHistoryQuery): Promise<SettingHistory> {
    return this.settings.history(key, query);
  }
}

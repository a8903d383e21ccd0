import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiBadRequestError, ApiNotFoundError, badTimeMessage } from '../../docs/api-errors.docs.js';
import { KeyParam } from '../params/query-params.js';
import { SettingHistoryQuery, SettingsListQuery } from './settings.queries.js';
import { SettingDetail, SettingHistory, SettingsPage } from './setting.views.js';
import { SettingsQueryService } from './settings.service.js';

const KEY_PARAM = {
  name: 'key',
  description: 'A sysctl key, dotted (`net.core.somaxconn`); a dot inside a device name is written `/`.',
  example: 'net.core.somaxconn',
};

@ApiTags('settings')
@Controller('settings')
export class SettingsController {
  constructor(private readonly settings: SettingsQueryService) {}

  @Get()
  @ApiOperation({
    summary: 'The catalog with the value of every key at `at` (volatile keys: their latest reading)',
  })
  @ApiOkResponse({ type: SettingsPage })
  @ApiBadRequestError(badTimeMessage('at'))
  @ApiNotFoundError("namespace 'web-1' matches no namespace set, container or netns")
  list(@Query() query: SettingsListQuery): Promise<SettingsPage> {
    return this.settings.list(query);
  }

  @Get(':key')
  @ApiOperation({
    summary: 'One key: classification, access, current value, first seen, value per namespace set',
  })
  @ApiParam(KEY_PARAM)
  @ApiOkResponse({ type: SettingDetail })
  @ApiBadRequestError("key: '../../etc/shadow' is not a sysctl key")
  @ApiNotFoundError("key 'net.core.somaxcon' has never been seen")
  get(@KeyParam('key') key: string): Promise<SettingDetail> {
    return this.settings.get(key);
  }

  @Get(':key/history')
  @ApiOperation({ summary: "The key's value intervals in [from, to] (`to` is null while a value holds)" })
  @ApiParam(KEY_PARAM)
  @ApiOkResponse({ type: SettingHistory })
  @ApiBadRequestError(badTimeMessage('from'))
  @ApiNotFoundError("key 'net.core.somaxcon' has never been seen")
  history(@KeyParam('key') key: string, @Query() query: SettingHistoryQuery): Promise<SettingHistory> {
    return this.settings.history(key, query);
  }
}

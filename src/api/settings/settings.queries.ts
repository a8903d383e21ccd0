import { IsOptional, IsString } from 'class-validator';

/** Query of GET /settings. */
export class SettingsListQuery {
  @IsOptional() @IsString() prefix?: string;
  @IsOptional() @IsString() scope?: string;
  @IsOptional() @IsString() q?: string;
  @IsOptional() @IsString() at?: string;
  @IsOptional() @IsString() namespace?: string;
}

/** Query of GET /settings/:key/history. */
export class SettingHistoryQuery {
  @IsOptional() @IsString() from?: string;
  @IsOptional() @IsString() to?: string;
  @IsOptional() @IsString() namespace?: string;
}

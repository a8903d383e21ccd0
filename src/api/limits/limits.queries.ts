import { IsOptional, IsString } from 'class-validator';

/** Query of GET /limits. */
export class LimitsQuery {
  @IsOptional() @IsString() at?: string;
  @IsOptional() @IsString() namespace?: string;
}

/** Query of GET /usage. */
export class UsageQuery {
  @IsOptional() @IsString() metric?: string;
  @IsOptional() @IsString() namespace?: string;
  @IsOptional() @IsString() from?: string;
  @IsOptional() @IsString() to?: string;
  @IsOptional() @IsString() points?: string;
}

import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** Body of POST /incidents. Times are strings (ISO-8601, epoch ms, relative) parsed by the service. */
export class CreateIncidentDto {
  @IsString() @IsNotEmpty() @MaxLength(200) title!: string;
  @IsString() @IsNotEmpty() @MaxLength(64) startedAt!: string;
  @IsOptional() @IsString() @MaxLength(64) endedAt?: string;
  /** A namespace id, `host`, a container name or id, or a netns name. */
  @IsOptional() @IsString() @MaxLength(256) namespace?: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  symptoms?: string[];
}

/** Query of GET /incidents. */
export class IncidentListQuery {
  @IsOptional() @IsString() from?: string;
  @IsOptional() @IsString() to?: string;
  @IsOptional() @IsString() limit?: string;
}

/** Query of GET /incidents/:id/report. */
export class IncidentReportQuery {
  /** How far before the start to look for changes: `30m`, `1h` (default), `7d`. */
  @IsOptional() @IsString() lookback?: string;
  @IsOptional() @IsString() baseline?: string;
}

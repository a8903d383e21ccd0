import { IsOptional, IsString } from 'class-validator';

/** Query of GET /snapshots. Values stay strings here; the service parses them and names the bad one. */
export class SnapshotListQuery {
  @IsOptional() @IsString() from?: string;
  @IsOptional() @IsString() to?: string;
  @IsOptional() @IsString() limit?: string;
  @IsOptional() @IsString() cursor?: string;
}

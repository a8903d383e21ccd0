import { IsOptional, IsString } from 'class-validator';

/** Query of GET /kernel-events. Values stay strings here; the service parses them and names the bad one. */
export class KernelEventsQuery {
  @IsOptional() @IsString() from?: string;
  @IsOptional() @IsString() to?: string;
  @IsOptional() @IsString() signature?: string;
  @IsOptional() @IsString() namespace?: string;
  @IsOptional() @IsString() limit?: string;
}

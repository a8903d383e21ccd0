import { IsOptional, IsString } from 'class-validator';

/** Query of GET /diff: `from` is required, `to` defaults to now. */
export class DiffQuery {
  @IsOptional() @IsString() from?: string;
  @IsOptional() @IsString() to?: string;
}

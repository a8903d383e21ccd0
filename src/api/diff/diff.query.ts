import { IsOptional, IsString } from 'class-validator';

/** Query of GET /diff: `from` is required, `to` defaults to now. */
export class DiffQuery {
  @IsOptional() @IsString() from?: string;
  @IsOptional() @IsString() to?: string;
  @IsOptional() @IsString() namespace?: string;
}

/** Query of GET /diff/namespaces. */
export class NamespaceDiffQuery {
  @IsOptional() @IsString() a?: string;
  @IsOptional() @IsString() b?: string;
  @IsOptional() @IsString() at?: string;
}

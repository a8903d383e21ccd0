import { IsOptional, IsString } from 'class-validator';

/** Query of GET /export. */
export class ExportQuery {
  @IsOptional() @IsString() at?: string;
  /** `host` (default) or `all`: every namespace set alive at `at`, with its owners and own values. */
  @IsOptional() @IsString() namespaces?: string;
}

/** Query of POST /baselines. */
export class BaselineImportQuery {
  @IsOptional() @IsString() name?: string;
  /** `true` replaces a baseline of the same name instead of answering 409. */
  @IsOptional() @IsString() replace?: string;
}

/** Query of GET /diff/baseline/:name. */
export class BaselineDiffQuery {
  @IsOptional() @IsString() at?: string;
  @IsOptional() @IsString() scope?: string;
}

import { IsOptional, IsString } from 'class-validator';

/** Query of GET /namespaces and GET /namespaces/:ns. */
export class NamespacesAtQuery {
  @IsOptional() @IsString() at?: string;
}

/** Query of GET /namespaces/:ns/settings. */
export class EffectiveSettingsQuery {
  @IsOptional() @IsString() at?: string;
  @IsOptional() @IsString() prefix?: string;
}

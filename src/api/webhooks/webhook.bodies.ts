import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';

/** POST /webhooks. Shapes are checked here; URL, event names and globs by the domain rules (clear 400s). */
export class CreateWebhookBody {
  @IsString() url!: string;
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) events?: string[];
  @IsOptional() @IsArray() @IsString({ each: true }) keys?: string[];
  @IsOptional() @IsArray() @IsString({ each: true }) namespaces?: string[];
  /** Generated (64 hex characters) when absent. */
  @IsOptional() @IsString() @MinLength(16) @MaxLength(256) secret?: string;
  @IsOptional() @IsString() @MaxLength(500) description?: string;
}

/** PATCH /webhooks/:id: any subset; the secret cannot be read or changed here. */
export class UpdateWebhookBody {
  @IsOptional() @IsString() url?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) events?: string[];
  @IsOptional() @IsArray() @IsString({ each: true }) keys?: string[];
  @IsOptional() @IsArray() @IsString({ each: true }) namespaces?: string[];
  @ValidateIf((_, value) => value !== null) @IsOptional() @IsString() @MaxLength(500) description?:
    string | null;
  @IsOptional() @IsBoolean() active?: boolean;
}

/** GET /webhooks/:id/deliveries. Strings here; the service parses them and names the bad one. */
export class DeliveryListQuery {
  @IsOptional() @IsString() status?: string;
  @IsOptional() @IsString() limit?: string;
  @IsOptional() @IsString() cursor?: string;
}

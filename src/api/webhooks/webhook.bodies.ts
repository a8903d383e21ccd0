import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../storage/delivery.js';
import { EnumQuery, IntQuery } from '../params/query-params.js';
import { DEFAULT_EVENT_TYPES, SUBSCRIBABLE_EVENT_TYPES } from '../../domain/webhooks/webhook-event.js';

const EVENTS = `Event types, at most 20: ${SUBSCRIBABLE_EVENT_TYPES.join(', ')}. Default: ${DEFAULT_EVENT_TYPES.join(', ')}.`;
const KEYS =
  'Glob patterns over sysctl keys (`net.netfilter.*`); only matching `setting.changed` events are sent. Empty: every key.';
const NAMESPACES =
  'Namespace sets (`host`, container or netns names, globs) whose events are sent. Empty: every set.';

/** POST /webhooks. Shapes are checked here; URL, event names and globs by the domain rules (clear 400s). */
export class CreateWebhookBody {
  @ApiProperty({
    description: 'http(s) URL the events are POSTed to; credentials in it are never shown back.',
    example: 'https://hooks.example.com/kernel-ledger',
  })
  @IsString()
  url!: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 20,
    description: EVENTS,
    example: ['setting.changed', 'limit.saturation'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  events?: string[];

  @ApiPropertyOptional({
    type: [String],
    description: KEYS,
    example: ['net.netfilter.*', 'net.core.somaxconn'],
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  keys?: string[];

  @ApiPropertyOptional({ type: [String], description: NAMESPACES, example: ['host', 'web-*'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  namespaces?: string[];

  /** Generated (64 hex characters) when absent. */
  @ApiPropertyOptional({
    minLength: 16,
    maxLength: 256,
    description: 'HMAC secret that signs each delivery; generated (64 hex characters) when absent.',
    example: 'b1946ac92492d2347c6235b4d2611184',
  })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(256)
  secret?: string;

  @ApiPropertyOptional({ maxLength: 500, description: 'Free text for people.', example: 'on-call channel' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

/** PATCH /webhooks/:id: any subset; the secret cannot be read or changed here. */
export class UpdateWebhookBody {
  @ApiPropertyOptional({
    description: 'http(s) URL the events are POSTed to.',
    example: 'https://hooks.example.com/kernel-ledger',
  })
  @IsOptional()
  @IsString()
  url?: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 20,
    description: EVENTS,
    example: ['setting.changed', 'kernel.event'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  events?: string[];

  @ApiPropertyOptional({ type: [String], description: KEYS, example: ['vm.*'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  keys?: string[];

  @ApiPropertyOptional({ type: [String], description: NAMESPACES, example: ['host'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  namespaces?: string[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 500,
    description: 'Free text for people; null clears it.',
    example: 'paged team',
  })
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({
    description: 'False pauses deliveries without deleting the subscription.',
    example: false,
  })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** GET /webhooks/:id/deliveries. Strings here; the service parses them and names the bad one. */
export class DeliveryListQuery {
  @EnumQuery(DELIVERY_STATUSES, { description: 'Only deliveries in this state.', example: 'failed' })
  status?: DeliveryStatus;

  @IntQuery(1, 500, { description: 'Page size: 1 to 500 (default 50).', example: '20' })
  limit?: number;

  @IntQuery(1, Number.MAX_SAFE_INTEGER, {
    description: 'The `nextCursor` of the previous page, for the next (older) one.',
    example: '311',
  })
  cursor?: number;
}

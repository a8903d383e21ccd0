import { ApiProperty } from '@nestjs/swagger';
import type { AttemptRecord, DeliveryRecord } from '../../storage/delivery.js';
import type { Subscription } from '../../storage/subscription.js';
import { hasCredentials, redactUrl } from '../../domain/webhooks/validate-subscription.js';

export class WebhookView {
  @ApiProperty({ example: 3 })
  id!: number;

  /** Credentials embedded in the URL are replaced by `***`. */
  @ApiProperty({
    description: 'Credentials embedded in the URL are replaced by `***`.',
    example: 'https://***@hooks.example.com/kernel-ledger',
  })
  url!: string;

  @ApiProperty({ description: 'True when the URL embeds credentials.', example: true })
  hasCredentials!: boolean;

  @ApiProperty({ type: [String], example: ['setting.changed', 'limit.saturation'] })
  events!: string[];

  @ApiProperty({ type: [String], description: 'Key globs; empty: every key.', example: ['net.netfilter.*'] })
  keys!: string[];

  @ApiProperty({ type: [String], description: 'Namespace sets or globs; empty: every set.', example: [] })
  namespaces!: string[];

  @ApiProperty({ type: String, nullable: true, example: 'on-call channel' })
  description!: string | null;

  @ApiProperty({ example: true })
  active!: boolean;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  updatedAt!: string;
}

/** Only the answer to POST /webhooks carries the secret. */
export class CreatedWebhookView extends WebhookView {
  @ApiProperty({
    description: 'The HMAC secret deliveries are signed with; shown this once.',
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  })
  secret!: string;
}

export class AttemptView {
  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:01.000Z' })
  at!: string;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The receiver’s HTTP status; null when none came.',
    example: 503,
  })
  statusCode!: number | null;

  @ApiProperty({ type: String, nullable: true, example: 'HTTP 503' })
  error!: string | null;

  @ApiProperty({ example: 120 })
  durationMs!: number;
}

export class DeliveryView {
  /** The X-Kernel-Ledger-Delivery header and the body's `id`. */
  @ApiProperty({
    description: "The X-Kernel-Ledger-Delivery header and the body's `id`.",
    example: '0b9d2f7e-5c61-4f0a-9a43-6f1d8e2c7b10',
  })
  id!: string;

  @ApiProperty({ example: 'setting.changed' })
  event!: string;

  @ApiProperty({ example: 2 })
  eventCount!: number;

  @ApiProperty({ enum: ['pending', 'delivered', 'failed'], example: 'pending' })
  status!: string;

  @ApiProperty({ example: 1 })
  attempts!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-11-29T14:03:01.000Z' })
  lastAttemptAt!: string | null;

  /** When the next attempt is due; null unless pending. */
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the next attempt is due; null unless pending.',
    example: '2026-11-29T14:03:31.000Z',
  })
  nextAttemptAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  deliveredAt!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 503 })
  lastResponseCode!: number | null;

  @ApiProperty({ type: String, nullable: true, example: 'HTTP 503' })
  lastError!: string | null;

  @ApiProperty({ type: () => [AttemptView] })
  attemptLog!: AttemptView[];
}

export class DeliveryPage {
  @ApiProperty({ type: () => [DeliveryView] })
  items!: DeliveryView[];

  /** Pass as `cursor` for the next (older) page; null on the last page. */
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next (older) page; null on the last page.',
    example: null,
  })
  nextCursor!: string | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function webhookView(s: Subscription): WebhookView {
  return {
    id: s.id,
    url: redactUrl(s.url),
    hasCredentials: hasCredentials(s.url),
    events: [...s.events],
    keys: [...s.keys],
    namespaces: [...s.namespaces],
    description: s.description,
    active: s.active,
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
  };
}

export function deliveryView(d: DeliveryRecord): DeliveryView {
  return {
    id: d.deliveryId,
    event: d.eventType,
    eventCount: d.eventCount,
    status: d.status,
    attempts: d.attempts,
    createdAt: new Date(d.createdAt).toISOString(),
    lastAttemptAt: iso(d.lastAttemptAt),
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    deliveredAt: iso(d.deliveredAt),
    lastResponseCode: d.lastStatusCode,
    lastError: d.lastError,
    attemptLog: d.attemptLog.map(attemptView),
  };
}

function attemptView(a: AttemptRecord): AttemptView {
  return {
    at: new Date(a.at).toISOString(),
    statusCode: a.statusCode,
    error: a.error,
    durationMs: a.durationMs,
  };
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One delivery to one subscription: an outbox row written in the transaction that raised its events, then
 * its delivery log (attempts, last outcome). `pending` until delivered or out of attempts (`failed`).
 */
@Entity({ name: 'webhook_deliveries' })
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  /** UUID sent as X-Kernel-Ledger-Delivery, the same on every attempt. */
  @Column({ name: 'delivery_id', type: 'text' })
  deliveryId!: string;

  @Column({ name: 'webhook_id', type: 'integer' })
  webhookId!: number;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ name: 'event_count', type: 'integer' })
  eventCount!: number;

  /** The exact JSON body POSTed (signed per attempt with its timestamp). */
  @Column({ name: 'body', type: 'text' })
  body!: string;

  /** `pending`, `delivered` or `failed`. */
  @Column({ name: 'status', type: 'text' })
  status!: string;

  @Column({ name: 'attempts', type: 'integer' })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'integer' })
  nextAttemptAt!: number;

  @Column({ name: 'last_attempt_at', type: 'integer', nullable: true })
  lastAttemptAt!: number | null;

  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode!: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  /** JSON array of { at, statusCode, error, durationMs }, one per attempt. */
  @Column({ name: 'attempt_log', type: 'text' })
  attemptLog!: string;

  @Column({ name: 'created_at', type: 'integer' })
  createdAt!: number;

  @Column({ name: 'delivered_at', type: 'integer', nullable: true })
  deliveredAt!: number | null;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One attempt as the delivery log keeps it. */
export interface AttemptRecord {
  /** Epoch ms at which the attempt started. */
  readonly at: number;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
}

export interface DeliveryRecord {
  readonly rowId: number;
  readonly deliveryId: string;
  readonly webhookId: number;
  readonly eventType: string;
  readonly eventCount: number;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastAttemptAt: number | null;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly attemptLog: readonly AttemptRecord[];
  readonly createdAt: number;
  readonly deliveredAt: number | null;
}

export interface DeliveryRow {
  id: number;
  delivery_id: string;
  webhook_id: number;
  event_type: string;
  event_count: number;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  last_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  attempt_log: string;
  created_at: number;
  delivered_at: number | null;
}

export function toDeliveryRecord(row: DeliveryRow): DeliveryRecord {
  return {
    rowId: row.id,
    deliveryId: row.delivery_id,
    webhookId: row.webhook_id,
    eventType: row.event_type,
    eventCount: row.event_count,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    attemptLog: JSON.parse(row.attempt_log) as AttemptRecord[],
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  };
}

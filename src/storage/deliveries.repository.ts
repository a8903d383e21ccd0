import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { chunked } from './chunked.js';
import { WriteLock } from './write-lock.js';
import {
  type AttemptRecord,
  type DeliveryRecord,
  type DeliveryRow,
  type DeliveryStatus,
  toDeliveryRecord,
} from './delivery.js';
import { lockedRead, writeTransaction } from './write-transaction.js';

export interface NewDelivery {
  readonly deliveryId: string;
  readonly webhookId: number;
  readonly eventType: string;
  readonly eventCount: number;
  readonly body: string;
}

/** What one attempt needs: the row and its subscription's current URL and secret. */
export interface DeliveryJob {
  readonly rowId: number;
  readonly deliveryId: string;
  readonly webhookId: number;
  readonly eventType: string;
  readonly body: string;
  readonly attempts: number;
  readonly url: string;
  readonly secret: string;
}

export interface AttemptResult {
  readonly attempt: AttemptRecord;
  readonly status: DeliveryStatus;
  readonly nextAttemptAt: number;
}

/** Keeps the attempt log of a much-redelivered row bounded. */
const MAX_LOGGED_ATTEMPTS = 50;

const DUE = `FROM "webhook_deliveries" d JOIN "webhooks" w ON w."id" = d."webhook_id"
  WHERE d."status" = 'pending' AND w."active" = 1`;

/** The `webhook_deliveries` table: outbox rows and their delivery log. */
@Injectable()
export class DeliveriesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
  ) {}

  /** Inserts pending deliveries inside the caller's transaction. */
  async insert(em: EntityManager, deliveries: readonly NewDelivery[], now: number): Promise<void> {
    for (const rows of chunked(deliveries, 100)) {
      await em.query(
        `INSERT INTO "webhook_deliveries" ("delivery_id", "webhook_id", "event_type", "event_count", "body", "status", "attempts", "next_attempt_at", "created_at")
         VALUES ${rows.map(() => `(?, ?, ?, ?, ?, 'pending', 0, ?, ?)`).join(', ')}`,
        rows.flatMap((d) => [d.deliveryId, d.webhookId, d.eventType, d.eventCount, d.body, now, now]),
      );
    }
  }

  /** Pending deliveries of active subscriptions due at `now`, oldest first. */
  due(now: number, limit: number): Promise<{ rowId: number; webhookId: number }[]> {
    return lockedRead(this.lock, () =>
      this.dataSource.query(
        `SELECT d."id" AS "rowId", d."webhook_id" AS "webhookId" ${DUE} AND d."next_attempt_at" <= ?
          ORDER BY d."next_attempt_at", d."id" LIMIT ?`,
        [now, limit],
      ),
    );
  }

  /** When the next pending delivery falls due after `now`, or null when none is waiting. */
  async nextDueAfter(now: number): Promise<number | null> {
    const rows: { next: number | null }[] = await lockedRead(this.lock, () =>
      this.dataSource.query(`SELECT min(d."next_attempt_at") AS "next" ${DUE} AND d."next_attempt_at" > ?`, [
        now,
      ]),
    );
    return rows[0]?.next ?? null;
  }

  async job(rowId: number): Promise<DeliveryJob | null> {
    const rows: DeliveryJob[] = await lockedRead(this.lock, () =>
      this.dataSource.query(
        `SELECT d."id" AS "rowId", d."delivery_id" AS "deliveryId", d."webhook_id" AS "webhookId",
                d."event_type" AS "eventType", d."body", d."attempts", w."url", w."secret"
           ${DUE} AND d."id" = ?`,
        [rowId],
      ),
    );
    return rows[0] ?? null;
  }

  /** Records one attempt of a still-pending row (a row redelivered or deleted meanwhile is left alone). */
  recordAttempt(rowId: number, result: AttemptResult): Promise<void> {
    return writeTransaction(this.lock, this.dataSource, async (em) => {
      const rows: { attempt_log: string }[] = await em.query(
        `SELECT "attempt_log" FROM "webhook_deliveries" WHERE "id" = ? AND "status" = 'pending'`,
        [rowId],
      );
      const row = rows[0];
      if (!row) return;
      const log = [...(JSON.parse(row.attempt_log) as AttemptRecord[]), result.attempt].slice(
        -MAX_LOGGED_ATTEMPTS,
      );
      await em.query(
        `UPDATE "webhook_deliveries"
            SET "attempts" = "attempts" + 1, "status" = ?, "next_attempt_at" = ?, "last_attempt_at" = ?,
                "last_status_code" = ?, "last_error" = ?, "attempt_log" = ?,
                "delivered_at" = CASE WHEN ? = 'delivered' THEN ? ELSE NULL END
          WHERE "id" = ?`,
        [
          result.status,
          result.nextAttemptAt,
          result.attempt.at,
          result.attempt.statusCode,
          result.attempt.error,
          JSON.stringify(log),
          result.status,
          result.attempt.at + result.attempt.durationMs,
          rowId,
        ],
      );
    });
  }

  /** The delivery log of one subscription, newest first, paged by row id. */
  async list(
    webhookId: number,
    status: DeliveryStatus | undefined,
    limit: number,
    before: number,
  ): Promise<DeliveryRecord[]> {
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT * FROM "webhook_deliveries" WHERE "webhook_id" = ? AND (? IS NULL OR "status" = ?) AND "id" < ?
        ORDER BY "id" DESC LIMIT ?`,
      [webhookId, status ?? null, status ?? null, before, limit],
    );
    return rows.map(toDeliveryRecord);
  }

  async get(webhookId: number, deliveryId: string): Promise<DeliveryRecord | null> {
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT * FROM "webhook_deliveries" WHERE "webhook_id" = ? AND "delivery_id" = ?`,
      [webhookId, deliveryId],
    );
    return rows[0] ? toDeliveryRecord(rows[0]) : null;
  }

  /** Puts a delivery back in the queue, due now, with a fresh set of attempts and the same delivery id. */
  redeliver(webhookId: number, deliveryId: string, now: number): Promise<DeliveryRecord | null> {
    return writeTransaction(this.lock, this.dataSource, async (em) => {
      const rows: DeliveryRow[] = await em.query(
        `UPDATE "webhook_deliveries" SET "status" = 'pending', "attempts" = 0, "next_attempt_at" = ?, "delivered_at" = NULL
          WHERE "webhook_id" = ? AND "delivery_id" = ? RETURNING *`,
        [now, webhookId, deliveryId],
      );
      return rows[0] ? toDeliveryRecord(rows[0]) : null;
    });
  }
}

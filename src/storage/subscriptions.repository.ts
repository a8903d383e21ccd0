import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { SubscriptionFilter } from '../domain/webhooks/plan-deliveries.js';
import type { WebhookEventType } from '../domain/webhooks/webhook-event.js';
import { WriteLock } from './write-lock.js';
import { type Subscription, type SubscriptionRow, toSubscription } from './subscription.js';
import { writeTransaction } from './write-transaction.js';

/** A subscription as created: what the stored row adds is its id, state and times. */
export type NewSubscription = Omit<Subscription, 'id' | 'active' | 'createdAt' | 'updatedAt'>;

export interface SubscriptionPatch {
  readonly url?: string;
  readonly events?: readonly WebhookEventType[];
  readonly keys?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly description?: string | null;
  readonly active?: boolean;
}

/** The `webhooks` table. */
@Injectable()
export class SubscriptionsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
  ) {}

  create(subscription: NewSubscription, now: number): Promise<Subscription> {
    return writeTransaction(this.lock, this.dataSource, async (em) => {
      const rows: SubscriptionRow[] = await em.query(
        `INSERT INTO "webhooks" ("url", "secret", "events", "key_filters", "namespace_filters", "description", "active", "created_at", "updated_at")
         VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING *`,
        [
          subscription.url,
          subscription.secret,
          JSON.stringify(subscription.events),
          JSON.stringify(subscription.keys),
          JSON.stringify(subscription.namespaces),
          subscription.description,
          now,
          now,
        ],
      );
      return toSubscription(firstRow(rows));
    });
  }

  async list(): Promise<Subscription[]> {
    const rows: SubscriptionRow[] = await this.dataSource.query(`SELECT * FROM "webhooks" ORDER BY "id"`);
    return rows.map(toSubscription);
  }

  async get(id: number): Promise<Subscription | null> {
    const rows: SubscriptionRow[] = await this.dataSource.query(`SELECT * FROM "webhooks" WHERE "id" = ?`, [
      id,
    ]);
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  update(id: number, patch: SubscriptionPatch, now: number): Promise<Subscription | null> {
    const sets: string[] = [];
    const values: unknown[] = [];
    const set = (column: string, value: unknown): void => {
      sets.push(`"${column}" = ?`);
      values.push(value);
    };
    if (patch.url !== undefined) set('url', patch.url);
    if (patch.events !== undefined) set('events', JSON.stringify(patch.events));
    if (patch.keys !== undefined) set('key_filters', JSON.stringify(patch.keys));
    if (patch.namespaces !== undefined) set('namespace_filters', JSON.stringify(patch.namespaces));
    if (patch.description !== undefined) set('description', patch.description);
    if (patch.active !== undefined) set('active', patch.active ? 1 : 0);
    set('updated_at', now);
    return writeTransaction(this.lock, this.dataSource, async (em) => {
      const rows: SubscriptionRow[] = await em.query(
        `UPDATE "webhooks" SET ${sets.join(', ')} WHERE "id" = ? RETURNING *`,
        [...values, id],
      );
      return rows[0] ? toSubscription(rows[0]) : null;
    });
  }

  /** Deletes the subscription and, with it, its deliveries. */
  delete(id: number): Promise<boolean> {
    return writeTransaction(this.lock, this.dataSource, async (em) => {
      await em.query(`DELETE FROM "webhook_deliveries" WHERE "webhook_id" = ?`, [id]);
      const rows: { id: number }[] = await em.query(`DELETE FROM "webhooks" WHERE "id" = ? RETURNING "id"`, [
        id,
      ]);
      return rows.length > 0;
    });
  }

  /** Filters of the active subscriptions, read inside the caller's transaction. */
  async activeFilters(em: EntityManager): Promise<SubscriptionFilter[]> {
    const rows: SubscriptionRow[] = await em.query(
      `SELECT * FROM "webhooks" WHERE "active" = 1 ORDER BY "id"`,
    );
    return rows.map(toSubscription).map((s) => ({
      id: s.id,
      events: s.events,
      keys: s.keys,
      namespaces: s.namespaces,
    }));
  }
}

function firstRow<T>(rows: readonly T[]): T {
  const row = rows[0];
  if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
  return row;
}

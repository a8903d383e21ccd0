import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { withSavepoint } from '../storage/savepoint.js';
import type { DomainEvent, DomainEventOf, DurableEvent, DurableEventOf } from './domain-events.js';

type DurableHandler = (tx: EntityManager, event: DurableEvent) => Promise<void>;
type Handler = (event: DomainEvent) => void | Promise<void>;

interface Subscription<H> {
  readonly consumer: string;
  readonly handler: H;
}

/**
 * The one seam between producers and consumers of domain events.
 *
 * A small typed bus of our own rather than @nestjs/event-emitter: durable consumers must run inside the
 * producer's transaction, with its EntityManager, each under a savepoint, awaited before the commit; and
 * in-memory consumers must hear the event only once that commit succeeded. EventEmitter2 knows neither phase
 * (listeners get a payload, not a transaction, and emit() does not wait for async ones), and its string
 * channels would lose the event types. This is two lists of handlers, typed by the event union.
 */
@Injectable()
export class DomainEvents {
  private readonly logger = new Logger(DomainEvents.name);
  private readonly durable = new Map<string, Subscription<DurableHandler>[]>();
  private readonly committed = new Map<string, Subscription<Handler>[]>();

  /** A durable consumer: runs in the producer's transaction (under a savepoint) for each `type` event. */
  onWrite<T extends DurableEvent['type']>(
    type: T,
    consumer: string,
    handler: (tx: EntityManager, event: DurableEventOf<T>) => Promise<void>,
  ): void {
    const list = this.durable.get(type) ?? [];
    list.push({ consumer, handler: handler as DurableHandler });
    this.durable.set(type, list);
  }

  /** An in-memory consumer: hears each `type` event after it committed. Returns the unsubscribe function. */
  onCommit<T extends DomainEvent['type']>(
    type: T,
    consumer: string,
    handler: (event: DomainEventOf<T>) => void | Promise<void>,
  ): () => void {
    const entry: Subscription<Handler> = { consumer, handler: handler as Handler };
    this.committed.set(type, [...(this.committed.get(type) ?? []), entry]);
    return () =>
      this.committed.set(
        type,
        (this.committed.get(type) ?? []).filter((s) => s !== entry),
      );
  }

  /**
   * Called by a producer inside its write transaction, after its own rows. Each durable consumer runs under
   * a savepoint: one that fails is undone and logged, and the producer's transaction still commits (a broken
   * notifier never stops the history).
   */
  async write(tx: EntityManager, event: DurableEvent): Promise<void> {
    for (const { consumer, handler } of this.durable.get(event.type) ?? []) {
      try {
        await withSavepoint(tx, () => handler(tx, event));
      } catch (error) {
        this.logger.error(`${consumer}: ${event.type} not handled: ${stackOf(error)}`);
      }
    }
  }

  /**
   * Called by a producer once its transaction committed (or at once for an event that writes nothing).
   * Consumers are awaited in turn; one that fails is logged and the others still hear the event.
   */
  async publish(event: DomainEvent): Promise<void> {
    for (const { consumer, handler } of this.committed.get(event.type) ?? []) {
      try {
        await handler(event);
      } catch (error) {
        this.logger.error(`${consumer}: ${event.type} not handled: ${stackOf(error)}`);
      }
    }
  }
}

function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

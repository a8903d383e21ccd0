import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { WebhookEvent } from '../../src/domain/webhooks/webhook-event.js';
import { WriteLock } from '../../src/storage/write-lock.js';
import { WebhookOutbox } from '../../src/webhooks/webhook-outbox.js';
import type { WebhooksAgent } from './webhooks-agent.js';

/** Enqueues events the way other modules do: `outbox.enqueue(em, events)` inside a write transaction. */
export function enqueueThroughOutbox(agent: WebhooksAgent, events: readonly WebhookEvent[]): Promise<number> {
  const outbox = agent.app.get(WebhookOutbox);
  const lock = agent.app.get(WriteLock);
  const dataSource = agent.app.get<DataSource>(getDataSourceToken());
  return lock.exclusive(() => dataSource.transaction((em) => outbox.enqueue(em, events)));
}

/** A kernel.event as the incidents module might raise it. */
export function kernelEvent(message: string, key = 'net.netfilter.nf_conntrack_max'): WebhookEvent {
  return {
    type: 'kernel.event',
    occurredAt: Date.now(),
    keys: [key],
    namespaces: ['host'],
    data: { message, key, signature: 'nf_conntrack_table_full' },
  };
}

import type { WebhookEvent } from './webhook-event.js';

/** An outage of the agent's writes, as the first commit after it saw it. */
export interface StorageOutageFacts {
  readonly since: number;
  readonly until: number;
  readonly failedWrites: number;
  readonly reason: string;
}

/**
 * The `storage.recovered` event: nothing was recorded from `since` to `until` (snapshots, kernel events and
 * the notifications they would have raised are missing for that window), and why.
 */
export function deriveStorageEvent(outage: StorageOutageFacts): WebhookEvent {
  return {
    type: 'storage.recovered',
    occurredAt: outage.until,
    keys: [],
    namespaces: [],
    data: {
      outage: {
        since: new Date(outage.since).toISOString(),
        until: new Date(outage.until).toISOString(),
        failedWrites: outage.failedWrites,
        reason: outage.reason,
      },
    },
  };
}

import type { TargetCollection } from '../collectors/collector-runner.js';
import type { StoredKernelEvent } from '../domain/kernel-events/stored-kernel-event.js';
import type { DriftTransitions } from '../domain/webhooks/derive-drift-events.js';
import type { SnapshotRecord } from '../storage/snapshot.writer.js';

/**
 * What happened in the agent, as its producers publish it on the one event seam (DomainEvents). Durable
 * consumers (the webhook outbox) hear an event inside the producer's transaction; in-memory consumers
 * (metrics, the auto-incident opener, later fleet push and page streams) after it committed.
 */

/** A snapshot's rows are written; its transaction is still open (durable consumers only). */
export interface SnapshotWritten {
  readonly type: 'snapshot.committed';
  readonly snapshotId: number;
  readonly record: SnapshotRecord;
}

/** What one committed snapshot came to (SnapshotService's summary). */
export interface SnapshotOutcome {
  readonly takenAt: number;
  readonly durationMs: number;
  readonly keysRead: number;
  readonly namespacesRead: number;
  readonly changeCount: number;
  readonly errors: readonly unknown[];
}

/** A snapshot committed: the written rows, its summary and the collections it was built from. */
export interface SnapshotCommitted extends SnapshotWritten {
  readonly summary: SnapshotOutcome;
  readonly collections: readonly TargetCollection[];
}

/** Kernel-log bursts stored by one poll: new bursts (`created`) and bursts that grew. */
export interface KernelEventsStored {
  readonly type: 'kernel-events.stored';
  readonly events: readonly StoredKernelEvent[];
}

/** An incident opened, by `POST /incidents` (`api`) or by a kernel event (`kernel-event`). */
export interface IncidentOpened {
  readonly type: 'incident.opened';
  readonly incidentId: number;
  readonly source: 'api' | 'kernel-event';
  /** The key its kernel-log burst implicates (auto-opened incidents); null for the API's. */
  readonly key: string | null;
}

/** A scheduled snapshot tick was skipped because the previous snapshot was still running. */
export interface SnapshotTickSkipped {
  readonly type: 'snapshot.tick-skipped';
  readonly skipped: number;
}

/** A webhook delivery attempt ended (its row is committed) with the delivery's new status. */
export interface WebhookAttempted {
  readonly type: 'webhook.attempted';
  readonly status: 'delivered' | 'pending' | 'failed';
}

/**
 * Writes reach the database again after an outage (disk full, I/O errors, file made immutable…); written in
 * the first transaction that commits, so the notice is as durable as the recovery.
 */
export interface StorageRecovered {
  readonly type: 'storage.recovered';
  readonly since: number;
  readonly until: number;
  readonly failedWrites: number;
  readonly reason: string;
}

/**
 * Drift between runtime values and the boot configuration appeared or ended in a snapshot; written in the
 * snapshot's transaction, after its configured values and drift rows.
 */
export interface ConfigDriftChanged extends DriftTransitions {
  readonly type: 'config.drift';
}

/** Events written in the producer's transaction: durable consumers may add rows to it. */
export type DurableEvent =
  SnapshotWritten | KernelEventsStored | IncidentOpened | StorageRecovered | ConfigDriftChanged;

/** Events in-memory consumers hear, after commit (or at once, for what writes nothing). */
export type DomainEvent =
  SnapshotCommitted | KernelEventsStored | IncidentOpened | SnapshotTickSkipped | WebhookAttempted;

export type DurableEventOf<T extends DurableEvent['type']> = Extract<DurableEvent, { type: T }>;
export type DomainEventOf<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>;

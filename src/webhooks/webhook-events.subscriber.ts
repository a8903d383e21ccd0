import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { deriveDriftEvents } from '../domain/webhooks/derive-drift-events.js';
import { deriveIncidentEvent } from '../domain/webhooks/derive-incident-event.js';
import { deriveKernelEvents } from '../domain/webhooks/derive-kernel-events.js';
import { deriveSnapshotEvents } from '../domain/webhooks/derive-snapshot-events.js';
import { deriveStorageEvent } from '../domain/webhooks/derive-storage-event.js';
import { DomainEvents } from '../events/domain-events.bus.js';
import type { IncidentOpened, KernelEventsStored, SnapshotWritten } from '../events/domain-events.js';
import { EventFactsReader } from '../storage/event-facts.reader.js';
import { SaturationLevelsRepository } from '../storage/saturation-levels.repository.js';
import { SnapshotFactsLoader } from '../storage/snapshot-facts.loader.js';
import { WebhookOutbox } from './webhook-outbox.js';
import { WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings.js';

/**
 * The webhook outbox as a durable consumer of the event seam: in each producer's transaction it turns the
 * domain event into webhook events and writes their deliveries. A snapshot raises setting.changed,
 * limit.saturation and namespace.appeared/vanished; a kernel-log burst, when first stored, one kernel.event;
 * an incident, opened by the API or by the kernel, one incident.opened; the first commit after an outage of
 * writes, one storage.recovered; drift from the boot configuration that appears or ends, one config.drift
 * per key.
 */
@Injectable()
export class WebhookEventsSubscriber {
  constructor(
    events: DomainEvents,
    private readonly outbox: WebhookOutbox,
    private readonly facts: EventFactsReader,
    private readonly snapshotFacts: SnapshotFactsLoader,
    private readonly levels: SaturationLevelsRepository,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
  ) {
    const name = WebhookEventsSubscriber.name;
    events.onWrite('snapshot.committed', name, (em, event) => this.snapshotWritten(em, event));
    events.onWrite('kernel-events.stored', name, (em, event) => this.kernelEvents(em, event));
    events.onWrite('incident.opened', name, (em, event) => this.incidentOpened(em, event));
    events.onWrite('storage.recovered', name, async (em, event) => {
      await this.outbox.enqueue(em, [deriveStorageEvent(event)]);
    });
    events.onWrite('config.drift', name, async (em, event) => {
      await this.outbox.enqueue(em, deriveDriftEvents(event));
    });
  }

  /**
   * Loads the snapshot's facts, derives its events (pure), and stores the saturation levels they moved, so a
   * restart never fires a crossing twice.
   */
  private async snapshotWritten(em: EntityManager, { record, snapshotId }: SnapshotWritten): Promise<void> {
    const derived = deriveSnapshotEvents(
      await this.snapshotFacts.load(em, record, snapshotId),
      this.settings.saturation,
    );
    await this.levels.save(em, derived.saturation, snapshotId, record.takenAt);
    await this.levels.forget(
      em,
      record.targets.filter((t) => t.vanished).map((t) => t.identity),
    );
    await this.outbox.enqueue(em, derived.events);
  }

  private async kernelEvents(em: EntityManager, event: KernelEventsStored): Promise<void> {
    const created = event.events.filter((e) => e.created);
    if (created.length === 0) return;
    const sets = await this.facts.namespaces(
      em,
      created.flatMap((e) => (e.namespaceId === null ? [] : [e.namespaceId])),
    );
    await this.outbox.enqueue(
      em,
      deriveKernelEvents(
        created.map((e) => ({
          ...e,
          namespace: e.namespaceId === null ? null : (sets.get(e.namespaceId) ?? null),
        })),
      ),
    );
  }

  private async incidentOpened(em: EntityManager, event: IncidentOpened): Promise<void> {
    const incident = await this.facts.incident(em, event.incidentId, event.key);
    if (incident) await this.outbox.enqueue(em, [deriveIncidentEvent(incident)]);
  }
}

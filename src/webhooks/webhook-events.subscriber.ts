import { Injectable } from '@nestjs/common';
import { deriveIncidentEvent } from '../domain/webhooks/derive-incident-event.js';
import { deriveKernelEvents } from '../domain/webhooks/derive-kernel-events.js';
import { DomainEvents } from '../events/domain-events.bus.js';
import type { IncidentOpened, KernelEventsStored } from '../events/domain-events.js';
import type { EntityManager } from 'typeorm';
import { EventFactsReader } from '../storage/event-facts.reader.js';
import { SnapshotEventSource } from './snapshot-event-source.js';
import { WebhookOutbox } from './webhook-outbox.js';

/**
 * The webhook outbox as a durable consumer of the event seam: in each producer's transaction it turns the
 * domain event into webhook events and writes their deliveries. A snapshot raises setting.changed,
 * limit.saturation and namespace.appeared/vanished; a kernel-log burst, when first stored, one kernel.event;
 * an incident, opened by the API or by the kernel, one incident.opened.
 */
@Injectable()
export class WebhookEventsSubscriber {
  constructor(
    events: DomainEvents,
    private readonly outbox: WebhookOutbox,
    private readonly snapshotEvents: SnapshotEventSource,
    private readonly facts: EventFactsReader,
  ) {
    const name = WebhookEventsSubscriber.name;
    events.onWrite('snapshot.committed', name, async (em, event) => {
      await this.outbox.enqueue(em, await this.snapshotEvents.eventsOf(em, event.record, event.snapshotId));
    });
    events.onWrite('kernel-events.stored', name, (em, event) => this.kernelEvents(em, event));
    events.onWrite('incident.opened', name, (em, event) => this.incidentOpened(em, event));
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

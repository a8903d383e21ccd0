import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { deriveSnapshotEvents } from '../domain/webhooks/derive-snapshot-events.js';
import type { WebhookEvent } from '../domain/webhooks/webhook-event.js';
import type { SnapshotRecord } from '../storage/snapshot.writer.js';
import { SaturationLevelsRepository } from '../storage/saturation-levels.repository.js';
import { SnapshotFactsLoader } from '../storage/snapshot-facts.loader.js';
import { WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings.js';

/**
 * Turns a snapshot, inside its transaction, into events: loads the facts, derives the events (pure), and
 * stores the saturation levels they moved, so a restart never fires a crossing twice.
 */
@Injectable()
export class SnapshotEventSource {
  constructor(
    private readonly facts: SnapshotFactsLoader,
    private readonly levels: SaturationLevelsRepository,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
  ) {}

  async eventsOf(em: EntityManager, record: SnapshotRecord, snapshotId: number): Promise<WebhookEvent[]> {
    const facts = await this.facts.load(em, record, snapshotId);
    const derived = deriveSnapshotEvents(facts, this.settings.saturation);
    await this.levels.save(em, derived.saturation, snapshotId, record.takenAt);
    await this.levels.forget(
      em,
      record.targets.filter((t) => t.vanished).map((t) => t.identity),
    );
    return derived.events;
  }
}

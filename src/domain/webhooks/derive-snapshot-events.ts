import { deriveNamespaceEvents } from './derive-namespace-events.js';
import { deriveSettingEvents } from './derive-setting-events.js';
import { evaluateSaturation, type SaturationUpdate } from './evaluate-saturation.js';
import type { SaturationThresholds } from './next-saturation-level.js';
import type { SnapshotFacts } from './snapshot-facts.js';
import type { WebhookEvent } from './webhook-event.js';

export interface SnapshotEvents {
  readonly events: WebhookEvent[];
  readonly saturation: SaturationUpdate[];
}

/**
 * Every event one committed snapshot raises, in a stable order: namespaces appearing, settings changing,
 * limits saturating, namespaces vanishing. A new snapshot-derived event type is one more function here;
 * events from elsewhere (kernel log, incidents) go straight to the outbox.
 */
export function deriveSnapshotEvents(facts: SnapshotFacts, thresholds: SaturationThresholds): SnapshotEvents {
  const namespaces = deriveNamespaceEvents(facts);
  const saturation = evaluateSaturation(facts, thresholds);
  return {
    events: [
      ...namespaces.filter((e) => e.type === 'namespace.appeared'),
      ...deriveSettingEvents(facts),
      ...saturation.events,
      ...namespaces.filter((e) => e.type === 'namespace.vanished'),
    ],
    saturation: saturation.updates,
  };
}

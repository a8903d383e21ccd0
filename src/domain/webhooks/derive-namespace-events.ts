import { namespaceNames, namespacePayload, snapshotPayload } from './namespace-event-fields.js';
import type { SnapshotFacts } from './snapshot-facts.js';
import type { WebhookEvent } from './webhook-event.js';

/** `namespace.appeared` for sets first seen in this snapshot, `namespace.vanished` for sets gone since the last. */
export function deriveNamespaceEvents(facts: SnapshotFacts): WebhookEvent[] {
  const events: WebhookEvent[] = [];
  for (const target of facts.targets) {
    if (!target.vanished && !target.appeared) continue;
    events.push({
      type: target.vanished ? 'namespace.vanished' : 'namespace.appeared',
      occurredAt: facts.takenAt,
      keys: [],
      namespaces: namespaceNames(target),
      data: {
        namespace: namespacePayload(target),
        snapshot: snapshotPayload(facts.snapshotId, facts.takenAt),
      },
    });
  }
  return events;
}

import { isLimitKey } from '../limits/usage-pairs.js';
import { namespaceNames, namespacePayload, snapshotPayload } from './namespace-event-fields.js';
import type { SnapshotFacts, TargetFacts } from './snapshot-facts.js';
import type { JsonObject, WebhookEvent } from './webhook-event.js';

/**
 * The change happened in (changedAfter, detectedAt]: after the set's previous reading, at or before this
 * snapshot (`occurredAt` is the detection, not the moment of the change).
 *
 * One `setting.changed` per non-volatile key whose value changed in a live namespace set. Keys that appear
 * (a new set, a module loaded) or disappear (a set gone) are not changes of value and raise no event.
 */
export function deriveSettingEvents(facts: SnapshotFacts): WebhookEvent[] {
  const events: WebhookEvent[] = [];
  const alive = facts.targets.filter((t) => !t.vanished);
  for (const target of alive) {
    for (const change of target.changes) {
      if (change.kind !== 'changed') continue;
      const key = facts.keys.get(change.key);
      if (key?.volatile) continue;
      const shared = key !== undefined && (key.scope === 'global' || key.childVisibility === 'mirrored');
      events.push({
        type: 'setting.changed',
        occurredAt: facts.takenAt,
        keys: [change.key],
        namespaces: namespaceNames(target),
        data: {
          key: change.key,
          scope: key?.scope ?? null,
          childVisibility: key?.childVisibility ?? null,
          isLimit: isLimitKey(change.key),
          namespace: namespacePayload(target),
          old: change.before ?? null,
          new: change.after ?? null,
          changedAfter: target.changedAfter == null ? null : new Date(target.changedAfter).toISOString(),
          detectedAt: new Date(facts.takenAt).toISOString(),
          snapshot: snapshotPayload(facts.snapshotId, facts.takenAt),
          seenBy: shared ? seenBy(facts, alive, change.key, change.after ?? null) : null,
        },
      });
    }
  }
  return events;
}

/**
 * For a global or mirrored key: how many live namespace sets (and containers) see `value`. A set without its
 * own value of the key sees the host's.
 */
function seenBy(
  facts: SnapshotFacts,
  alive: readonly TargetFacts[],
  key: string,
  value: string | null,
): JsonObject {
  const own = facts.openValues.get(key) ?? new Map<string, string | null>();
  const hostValue = own.get('host') ?? null;
  let namespaceSets = 0;
  let containers = 0;
  for (const target of alive) {
    const seen = own.has(target.identity) ? (own.get(target.identity) ?? null) : hostValue;
    if (seen !== value) continue;
    namespaceSets += 1;
    containers += target.owners.filter((o) => o.kind === 'container').length;
  }
  return { namespaceSets, containers, of: alive.length };
}

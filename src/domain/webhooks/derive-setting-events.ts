import type { ValueDifference } from '../history/diff-value-maps.js';
import { groupInterfaceKeys, type KeySides } from '../history/group-interface-keys.js';
import { isLimitKey } from '../limits/usage-pairs.js';
import { namespaceNames, namespacePayload, snapshotPayload } from './namespace-event-fields.js';
import type { SnapshotFacts, TargetFacts } from './snapshot-facts.js';
import type { JsonObject, WebhookEvent } from './webhook-event.js';

/**
 * The change happened in (changedAfter, detectedAt]: after the set's previous reading, at or before this
 * snapshot (`occurredAt` is the detection, not the moment of the change).
 *
 * One `setting.changed` per non-volatile key whose value changed in a live namespace set. Keys that appear
 * (a new set, a module loaded) or disappear (a set gone) are not changes of value and raise no event. The
 * keys of one network device (`net.ipv{4,6}.{conf,neigh}.<device>.*`) are one fact: a device that came or
 * went (a container's veth) raises nothing, and one that lasted raises one event for the device, with
 * `interface` and its changed keys in `changes`.
 */
export function deriveSettingEvents(facts: SnapshotFacts): WebhookEvent[] {
  const events: WebhookEvent[] = [];
  const alive = facts.targets.filter((t) => !t.vanished);
  for (const target of alive) {
    const valueChanges = (changes: readonly ValueDifference[]) =>
      changes.filter((c) => c.kind === 'changed' && facts.keys.get(c.key)?.volatile !== true);
    const grouped = groupInterfaceKeys(target.changes, (c) => c.key, sidesOf);
    for (const change of valueChanges(grouped.keys)) events.push(keyEvent(facts, alive, target, change));
    for (const device of grouped.interfaces) {
      const changes = valueChanges(device.keys);
      if (changes.length > 0) events.push(interfaceEvent(facts, target, device.name, changes));
    }
  }
  return events;
}

function sidesOf(change: ValueDifference): KeySides {
  if (change.kind === 'added') return 'second';
  return change.kind === 'removed' ? 'first' : 'both';
}

function keyEvent(
  facts: SnapshotFacts,
  alive: readonly TargetFacts[],
  target: TargetFacts,
  change: ValueDifference,
): WebhookEvent {
  const key = facts.keys.get(change.key);
  const shared = key !== undefined && (key.scope === 'global' || key.childVisibility === 'mirrored');
  return {
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
      changedAfter: changedAfterOf(target),
      detectedAt: new Date(facts.takenAt).toISOString(),
      snapshot: snapshotPayload(facts.snapshotId, facts.takenAt),
      seenBy: shared ? seenBy(facts, alive, change.key, change.after ?? null) : null,
    },
  };
}

/** One event for a lasting device whose keys changed: `key` null, `interface` and its `changes`. */
function interfaceEvent(
  facts: SnapshotFacts,
  target: TargetFacts,
  device: string,
  changes: readonly ValueDifference[],
): WebhookEvent {
  return {
    type: 'setting.changed',
    occurredAt: facts.takenAt,
    keys: changes.map((c) => c.key),
    namespaces: namespaceNames(target),
    data: {
      key: null,
      interface: device,
      scope: 'net',
      childVisibility: 'isolated',
      isLimit: false,
      namespace: namespacePayload(target),
      changes: changes.map((c) => ({ key: c.key, old: c.before ?? null, new: c.after ?? null })),
      changedAfter: changedAfterOf(target),
      detectedAt: new Date(facts.takenAt).toISOString(),
      snapshot: snapshotPayload(facts.snapshotId, facts.takenAt),
      seenBy: null,
    },
  };
}

/** The set's previous reading: the change happened after it (null when the set had never been read). */
function changedAfterOf(target: TargetFacts): string | null {
  return target.changedAfter == null ? null : new Date(target.changedAfter).toISOString();
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

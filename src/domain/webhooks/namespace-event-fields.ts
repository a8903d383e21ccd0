import type { JsonObject } from './webhook-event.js';
import type { NamespaceFacts } from './snapshot-facts.js';

/** The `namespace` object of an event payload. */
export function namespacePayload(ns: NamespaceFacts): JsonObject {
  return {
    identity: ns.identity,
    kind: ns.kind,
    owners: ns.owners.map((o) => ({ kind: o.kind, ref: o.ref, name: o.name, image: o.image })),
  };
}

/** The names a namespace filter matches: the identity, owner names and refs (container ids, netns names). */
export function namespaceNames(ns: NamespaceFacts): string[] {
  const names = new Set<string>([ns.identity]);
  for (const o of ns.owners) {
    names.add(o.name);
    names.add(o.ref);
  }
  return [...names];
}

export function snapshotPayload(snapshotId: number, takenAt: number): JsonObject {
  return { id: snapshotId, takenAt: new Date(takenAt).toISOString() };
}

/** Every event type a delivery can carry. `ping` is sent only by POST /webhooks/:id/test. */
export const WEBHOOK_EVENT_TYPES = [
  'setting.changed',
  'limit.saturation',
  'kernel.event',
  'incident.opened',
  'namespace.appeared',
  'namespace.vanished',
  'storage.recovered',
  'config.drift',
  'ping',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What a subscription may ask for (everything but `ping`, which every subscription receives on request). */
export const SUBSCRIBABLE_EVENT_TYPES: readonly WebhookEventType[] = WEBHOOK_EVENT_TYPES.filter(
  (type) => type !== 'ping',
);

/** A subscription that names no events gets these: namespace.appeared/vanished only when asked for. */
export const DEFAULT_EVENT_TYPES: readonly WebhookEventType[] = [
  'setting.changed',
  'limit.saturation',
  'kernel.event',
  'incident.opened',
];

export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };
export type JsonObject = { readonly [k: string]: JsonValue };

/**
 * One notification, from any source (snapshots, the kernel log, incidents). Delivery knows nothing else about
 * it: `keys` and `namespaces` are what subscription filters match (an event that carries none of one kind is
 * not narrowed by filters of that kind), `data` is sent as is.
 */
export interface WebhookEvent {
  readonly type: WebhookEventType;
  /** Epoch milliseconds. */
  readonly occurredAt: number;
  /** Sysctl keys the event is about (matched against key globs). */
  readonly keys: readonly string[];
  /** Names of the namespace set it concerns: identity, container names and ids, netns names. */
  readonly namespaces: readonly string[];
  readonly data: JsonObject;
}

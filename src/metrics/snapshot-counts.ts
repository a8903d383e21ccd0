import { type NamespaceSetKind } from '../domain/namespaces/namespace-types.js';

const SET_KINDS: readonly NamespaceSetKind[] = ['host', 'pod', 'container', 'netns', 'process'];

/**
 * The `collector` label of one snapshot error: the collector's id for a collection error, `discovery:<source>`
 * for a discovery error (Docker, named netns), `unknown` for anything else.
 */
export function errorSource(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'unknown';
  const fields = error as { collector?: unknown; source?: unknown };
  if (typeof fields.collector === 'string' && fields.collector !== '') return fields.collector;
  if (typeof fields.source === 'string' && fields.source !== '') return `discovery:${fields.source}`;
  return 'unknown';
}

/** Errors of one snapshot counted by their `collector` label. */
export function countErrorsBySource(errors: readonly unknown[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const error of errors) {
    const source = errorSource(error);
    counts.set(source, (counts.get(source) ?? 0) + 1);
  }
  return counts;
}

/** Namespace sets seen, by kind; every known kind is present (0 when absent) so its series never vanishes. */
export function countSetsByKind(kinds: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>(SET_KINDS.map((kind) => [kind, 0]));
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/** What a webhook delivery attempt came to, as the dispatcher records it. */
export type DeliveryAttemptStatus = 'delivered' | 'pending' | 'failed';
export const WEBHOOK_OUTCOMES = ['delivered', 'retry', 'failed'] as const;
export type WebhookDeliveryOutcome = (typeof WEBHOOK_OUTCOMES)[number];

/** A failed attempt that will be retried leaves the delivery `pending`: its outcome is `retry`. */
export function deliveryOutcome(
  status: DeliveryAttemptStatus | WebhookDeliveryOutcome,
): WebhookDeliveryOutcome {
  return status === 'pending' ? 'retry' : status;
}

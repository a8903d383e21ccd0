import type { StoredKernelEvent } from '../kernel-events/stored-kernel-event.js';
import { namespaceNames, namespacePayload } from './namespace-event-fields.js';
import type { NamespaceFacts } from './snapshot-facts.js';
import type { WebhookEvent } from './webhook-event.js';

/** A stored kernel-log burst, with the namespace set it was resolved to (null when unknown). */
export type KernelEventFacts = StoredKernelEvent & { readonly namespace: NamespaceFacts | null };

/**
 * One `kernel.event` per burst, raised when the burst is first stored: the signature, the key it implicates,
 * the lines printed so far (`count`; `suppressed` only on the host-wide net-ratelimit-suppressed burst), and the
 * namespace set with its owners. GET /kernel-events shows how the burst grew and, once a snapshot follows it,
 * its magnitude from the netns's drop counters.
 */
export function deriveKernelEvents(bursts: readonly KernelEventFacts[]): WebhookEvent[] {
  return bursts.map((b) => ({
    type: 'kernel.event',
    occurredAt: b.firstAt,
    keys: [b.key],
    namespaces: b.namespace ? namespaceNames(b.namespace) : [],
    data: {
      kernelEvent: {
        id: b.id,
        signature: b.signature,
        key: b.key,
        count: b.count,
        suppressed: b.suppressed,
        firstAt: new Date(b.firstAt).toISOString(),
        lastAt: new Date(b.lastAt).toISOString(),
        netInode: b.netInode,
        sampleLine: b.sampleLine,
      },
      namespace: b.namespace ? namespacePayload(b.namespace) : null,
    },
  }));
}

import { namespaceNames, namespacePayload } from './namespace-event-fields.js';
import type { NamespaceFacts } from './snapshot-facts.js';
import type { WebhookEvent } from './webhook-event.js';

/** An incident as stored, with its namespace set (null when it names none). */
export interface IncidentFacts {
  readonly id: number;
  readonly title: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly symptoms: readonly string[];
  /** `api` (POST /incidents) or `kernel-event` (opened by a kernel-log burst). */
  readonly source: string;
  readonly signature: string | null;
  readonly createdAt: number;
  /** The key its kernel signature implicates, when it has one (what key filters match). */
  readonly key: string | null;
  readonly namespace: NamespaceFacts | null;
}

/** The `incident.opened` event of a new incident. */
export function deriveIncidentEvent(incident: IncidentFacts): WebhookEvent {
  return {
    type: 'incident.opened',
    occurredAt: incident.createdAt,
    keys: incident.key === null ? [] : [incident.key],
    namespaces: incident.namespace ? namespaceNames(incident.namespace) : [],
    data: {
      incident: {
        id: incident.id,
        title: incident.title,
        startedAt: new Date(incident.startedAt).toISOString(),
        endedAt: incident.endedAt === null ? null : new Date(incident.endedAt).toISOString(),
        symptoms: [...incident.symptoms],
        source: incident.source,
        signature: incident.signature,
        key: incident.key,
      },
      namespace: incident.namespace ? namespacePayload(incident.namespace) : null,
    },
  };
}

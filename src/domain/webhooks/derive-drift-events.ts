import type { DriftTransition } from '../sysctl-conf/plan-drift-changes.js';
import { snapshotPayload } from './namespace-event-fields.js';
import type { JsonObject, WebhookEvent } from './webhook-event.js';

/** The drift transitions of one snapshot, as the durable `config.drift` domain event carries them. */
export interface DriftTransitions {
  readonly snapshotId: number;
  readonly takenAt: number;
  /** The host rebooted since the previous snapshot: drift that appears now did so at boot. */
  readonly atReboot: boolean;
  readonly appeared: readonly DriftTransition[];
  readonly ended: readonly DriftTransition[];
}

function driftPayload(t: DriftTransition): JsonObject {
  return {
    key: t.key,
    runtime: t.runtime,
    configured: t.configured,
    source: t.source === null ? null : { file: t.source.file, line: t.source.line },
    unknownToKernel: t.unknownToKernel,
  };
}

/**
 * One `config.drift` per key whose drift between runtime value and boot configuration appeared (`state:
 * "appeared"`) or ended (`state: "ended"`) in this snapshot. Drift is a host fact: the namespace is `host`.
 */
export function deriveDriftEvents(facts: DriftTransitions): WebhookEvent[] {
  const event = (t: DriftTransition, state: 'appeared' | 'ended'): WebhookEvent => ({
    type: 'config.drift',
    occurredAt: facts.takenAt,
    keys: [t.key],
    namespaces: ['host'],
    data: {
      state,
      ...driftPayload(t),
      since: new Date(t.since).toISOString(),
      endedAt: state === 'ended' ? new Date(facts.takenAt).toISOString() : null,
      atReboot: facts.atReboot,
      snapshot: snapshotPayload(facts.snapshotId, facts.takenAt),
    },
  });
  return [...facts.appeared.map((t) => event(t, 'appeared')), ...facts.ended.map((t) => event(t, 'ended'))];
}

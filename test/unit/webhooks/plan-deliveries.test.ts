import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planDeliveries, type SubscriptionFilter } from '../../../src/domain/webhooks/plan-deliveries.js';
import type { WebhookEvent, WebhookEventType } from '../../../src/domain/webhooks/webhook-event.js';

const event = (type: WebhookEventType, keys: string[] = [], namespaces: string[] = []): WebhookEvent => ({
  type,
  occurredAt: 0,
  keys,
  namespaces,
  data: {},
});
const sub = (
  id: number,
  events: WebhookEventType[],
  keys: string[] = [],
  namespaces: string[] = [],
): SubscriptionFilter => ({
  id,
  events,
  keys,
  namespaces,
});

test('matches by type, key glob and namespace glob; events without the attribute pass its filter', () => {
  const events = [
    event('setting.changed', ['net.netfilter.nf_conntrack_max'], ['host']),
    event('setting.changed', ['fs.file-max'], ['host']),
    event('setting.changed', ['net.netfilter.nf_conntrack_max'], ['net:1', 'api-7']),
    event('namespace.appeared', [], ['net:2', 'db-1']),
    event('incident.opened'),
  ];
  const subscriptions = [
    sub(1, ['setting.changed'], ['net.netfilter.*']),
    sub(2, ['setting.changed', 'namespace.appeared', 'incident.opened'], ['fs.*'], ['api-*', 'db-?']),
  ];
  const planned = planDeliveries(subscriptions, events, 100);
  assert.deepEqual(
    planned.map((p) => [p.subscriptionId, p.type, p.events.length]),
    [
      [1, 'setting.changed', 2],
      [2, 'namespace.appeared', 1],
      [2, 'incident.opened', 1],
    ],
  );
});

test('setting.changed batches split at maxBatch; other types are one delivery each', () => {
  const events = [
    ...Array.from({ length: 5 }, () => event('setting.changed', ['a.b'])),
    event('kernel.event'),
    event('kernel.event'),
  ];
  const planned = planDeliveries([sub(1, ['setting.changed', 'kernel.event'])], events, 2);
  assert.deepEqual(
    planned.map((p) => [p.type, p.events.length]),
    [
      ['kernel.event', 1],
      ['kernel.event', 1],
      ['setting.changed', 2],
      ['setting.changed', 2],
      ['setting.changed', 1],
    ],
  );
});

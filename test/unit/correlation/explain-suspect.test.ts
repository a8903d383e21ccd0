import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainSuspect } from '../../../src/domain/correlation/explain-suspect.js';

const T0 = Date.UTC(2026, 10, 29, 14, 0, 0);
const FACTS = { scope: 'global', childVisibility: 'mirrored' } as const;

test('a change is told as the interval between two readings, and a burst with its netns drop counters', () => {
  const sentence = explainSuspect('net.netfilter.nf_conntrack_max', FACTS, [
    {
      kind: 'kernel-event',
      key: 'net.netfilter.nf_conntrack_max',
      signature: 'conntrack-table-full',
      namespace: 'net:4026532246/ipc:1/uts:2',
      owners: ['api'],
      count: 10,
      firstAt: T0 + 90_000,
      lastAt: T0 + 95_000,
      sampleLine: 'nf_conntrack: nf_conntrack: table full in netns 4026532246, dropping packet',
      drops: {
        from: T0 + 60_000,
        to: T0 + 120_000,
        counters: { 'conntrack.drop.total': 1136, 'conntrack.early_drop.total': 0 },
      },
    },
    {
      kind: 'changed',
      key: 'net.netfilter.nf_conntrack_max',
      namespace: 'host',
      owners: [],
      before: '262144',
      after: '64',
      at: T0 + 120_000,
      changedAfter: T0 + 60_000,
      changedBy: T0 + 120_000,
    },
  ]);
  assert.equal(
    sentence,
    'net.netfilter.nf_conntrack_max is a host-wide limit (read-only inside containers); each netns counts its ' +
      'own entries against this one host-wide max, so no netns ate another\u2019s budget, and lowering it capped ' +
      'every netns at once. It changed from 262144 to 64 on the host between 14:01:00 and 14:02:00; ' +
      "the kernel logged 'nf_conntrack: nf_conntrack: table full in netns 4026532246, dropping packet' 10 times " +
      'between 14:01:30 and 14:01:35 for netns of api (its own counters: 1 136 packets dropped for a full ' +
      'conntrack table between the readings at 14:01:00 and 14:02:00).',
  );
});

test('a change in a set never read before is told as "by" its detection', () => {
  const sentence = explainSuspect('net.core.somaxconn', { scope: 'net', childVisibility: 'isolated' }, [
    {
      kind: 'changed',
      key: 'net.core.somaxconn',
      namespace: 'host',
      owners: [],
      before: '4096',
      after: '128',
      at: T0,
      changedAfter: null,
    },
  ]);
  assert.match(sentence, /It changed from 4096 to 128 on the host by 14:00:00\.$/);
});

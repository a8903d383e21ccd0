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

test('SYN-queue drops name both queues of a listener and the figure they are bounded by', () => {
  const sentence = explainSuspect(
    'net.core.somaxconn',
    { scope: 'net', childVisibility: 'isolated' },
    [
      {
        kind: 'overflowed',
        key: 'net.core.somaxconn',
        metric: 'tcp.syn_queue_drops.total',
        namespace: 'net:4026532246/ipc:1/uts:2',
        owners: ['web'],
        increase: 120,
        perSecond: 4,
        limit: 8,
        from: T0,
        at: T0 + 30_000,
      },
    ],
    {
      values: { here: '8', host: '4096' },
      context: { namespace: 'net:4026532246/ipc:1/uts:2', containerScoped: true, startedAt: T0 },
    },
  );
  assert.equal(
    sentence,
    "net.core.somaxconn is set per net namespace, 8 in force (the host has 4096); a listener's SYN queue and " +
      'accept queue are each min(listen() backlog, somaxconn), so at most 8. Netns of web dropped 120 SYNs for a ' +
      'full SYN queue at 4.0/s between 14:00:00 and 14:00:30 against min(listen() backlog, somaxconn=8) with ' +
      'tcp_syncookies=0.',
  );
});

test('TCP memory pressure and a full neighbour table say which host-wide limit they ran into', () => {
  const memory = explainSuspect('net.ipv4.tcp_mem', { scope: 'global', childVisibility: 'absent' }, [
    {
      kind: 'overflowed',
      key: 'net.ipv4.tcp_mem',
      metric: 'tcp.memory_pressures.total',
      namespace: 'host',
      owners: [],
      increase: 1,
      perSecond: 0.05,
      limit: 575778,
      from: T0,
      at: T0 + 20_000,
    },
  ]);
  assert.match(
    memory,
    /\. The host put TCP into memory pressure 1 time \(0\.05\/s\) between 14:00:00 and 14:00:20 against the host-wide tcp_mem \(pressure above its 2nd field, allocations fail above 575 778 pages\)\.$/,
  );
  const neighbours = explainSuspect(
    'net.ipv4.neigh.default.gc_thresh3',
    { scope: 'global', childVisibility: 'absent' },
    [
      {
        kind: 'overflowed',
        key: 'net.ipv4.neigh.default.gc_thresh3',
        metric: 'neighbours.table_fulls.total',
        namespace: 'host',
        owners: [],
        increase: 37,
        perSecond: 1.2,
        limit: 1024,
        from: T0,
        at: T0 + 30_000,
      },
    ],
  );
  assert.match(
    neighbours,
    /\. The host found the neighbour table full 37 times \(1\.2\/s\) between 14:00:00 and 14:00:30 against gc_thresh3=1 024 \(one table for every netns\)\.$/,
  );
});

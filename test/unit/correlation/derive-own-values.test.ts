import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  deriveOwnValues,
  ownValueTargets,
  targetId,
} from '../../../src/domain/correlation/derive-own-values.js';
import type { Evidence, KeyFacts } from '../../../src/domain/correlation/evidence-types.js';
import { selectBaselineDrift } from '../../../src/domain/correlation/select-baseline-drift.js';

const SET = 'net:1/ipc:2/uts:3';
const facts = new Map<string, KeyFacts>([
  ['net.core.somaxconn', { scope: 'net', childVisibility: 'isolated' }],
  ['net.netfilter.nf_conntrack_max', { scope: 'global', childVisibility: 'mirrored' }],
]);
const overflow = (namespace: string, key: string): Evidence => ({
  kind: 'overflowed',
  key,
  metric: 'tcp.listen_overflows.total',
  namespace,
  owners: ['web'],
  increase: 10,
  perSecond: 1,
  limit: 4,
  from: 0,
  at: 10_000,
});

test("targets: namespaced limits behind a set's symptoms, not the host's, not global keys", () => {
  const targets = ownValueTargets(
    [
      overflow(SET, 'net.core.somaxconn'),
      overflow(SET, 'net.core.somaxconn'),
      overflow('host', 'net.core.somaxconn'),
      overflow(SET, 'net.netfilter.nf_conntrack_max'),
    ],
    facts,
  );
  assert.deepEqual(targets, [{ namespace: SET, owners: ['web'], key: 'net.core.somaxconn' }]);
});

test('own value: differs from the host, a fresh namespace or the baseline; equal everywhere is no evidence', () => {
  const targets = [{ namespace: SET, owners: ['web'], key: 'net.core.somaxconn' }];
  const references = (value: string, baseline: string | null = null) => ({
    setValues: new Map([[targetId(SET, 'net.core.somaxconn'), { value, since: 5, first: true }]]),
    host: new Map([['net.core.somaxconn', '4096']]),
    fresh: new Map([['net.core.somaxconn', '4096']]),
    baseline:
      baseline === null ? null : { name: 'staging', values: new Map([['net.core.somaxconn', baseline]]) },
  });
  assert.deepEqual(deriveOwnValues(targets, references('4096')), []);
  assert.deepEqual(deriveOwnValues(targets, references('4')), [
    {
      kind: 'own-value',
      key: 'net.core.somaxconn',
      namespace: SET,
      owners: ['web'],
      value: '4',
      host: '4096',
      fresh: '4096',
      since: 5,
      atCreation: true,
    },
  ]);
  const withBaseline = deriveOwnValues(targets, references('4096', '8192'));
  assert.deepEqual([withBaseline[0]?.baseline, withBaseline[0]?.there], ['staging', '8192']);
});

test('baseline drift: global keys both hosts have, limit keys, implicated keys; not other namespaced keys', () => {
  const entry = (key: string, scope: 'global' | 'net', kind: 'changed' | 'only-here' = 'changed') => ({
    key,
    scope,
    childVisibility: null,
    here: '1',
    baseline: '2',
    kind,
  });
  const drift = selectBaselineDrift(
    [
      entry('kernel.panic', 'global'),
      entry('kernel.only_here', 'global', 'only-here'),
      entry('net.core.somaxconn', 'net'),
      entry('net.ipv4.tcp_ecn', 'net'),
      entry('net.ipv4.tcp_sack', 'net'),
    ],
    'staging',
    [overflow(SET, 'net.ipv4.tcp_sack')],
  );
  assert.deepEqual(
    drift.map((d) => d.key),
    ['kernel.panic', 'net.core.somaxconn', 'net.ipv4.tcp_sack'],
  );
});

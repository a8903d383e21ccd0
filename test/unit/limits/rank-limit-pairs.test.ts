import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rankLimitPairs, type SampleAt } from '../../../src/domain/limits/rank-limit-pairs.js';

const T = Date.parse('2026-11-29T02:00:00Z');

function sample(namespace: string, metric: string, usage: number, limit: number): SampleAt {
  return {
    namespace,
    namespaceKind: namespace === 'host' ? 'host' : 'netns',
    owners: namespace === 'host' ? [] : [{ kind: 'netns', name: `ns-${namespace}` }],
    metric,
    usage,
    limit,
    takenAt: T,
  };
}

const SAMPLES: SampleAt[] = [
  sample('host', 'conntrack.entries', 100, 1000),
  ...Array.from({ length: 7 }, (_, i) => sample(`n${i}`, 'conntrack.entries', 100 * (i + 2), 1000)),
  sample('host', 'ports.in_use', 5, 28232),
  sample('n1', 'ports.in_use', 19, 20),
  sample('host', 'tcp.listen_overflows.total', 3, 4096),
  sample('n1', 'tcp.listen_overflows.total', 30, 128),
];

test('one entry per metric, headline = closest to its limit, top 5 holders, highest ratio first', () => {
  const pairs = rankLimitPairs(SAMPLES);
  assert.deepEqual(
    pairs.map((p) => [p.metric, p.namespace, p.ratio, p.kind, p.limitKey]),
    [
      ['ports.in_use', 'n1', 0.95, 'level', 'net.ipv4.ip_local_port_range'],
      ['conntrack.entries', 'n6', 0.8, 'level', 'net.netfilter.nf_conntrack_max'],
      ['tcp.listen_overflows.total', 'n1', null, 'counter', 'net.core.somaxconn'],
    ],
  );
  const conntrack = pairs[1];
  assert.deepEqual(
    conntrack?.top.map((h) => h.namespace),
    ['n6', 'n5', 'n4', 'n3', 'n2'],
  );
  assert.deepEqual(conntrack?.top[0]?.owners, [{ kind: 'netns', name: 'ns-n6' }]);
});

test('with a focus namespace the headline is that set, the top holders stay host-wide', () => {
  const pairs = rankLimitPairs(SAMPLES, 'host');
  assert.deepEqual(
    pairs.map((p) => [p.metric, p.namespace, p.usage]),
    [
      ['conntrack.entries', 'host', 100],
      ['ports.in_use', 'host', 5],
      ['tcp.listen_overflows.total', 'host', 3],
    ],
  );
  assert.equal(pairs[0]?.top[0]?.namespace, 'n6');
  assert.deepEqual(rankLimitPairs(SAMPLES, 'n9'), [], 'a set without samples has no pairs');
});

test('no samples, no pairs; unknown metrics keep a null limit key', () => {
  assert.deepEqual(rankLimitPairs([]), []);
  assert.equal(rankLimitPairs([sample('host', 'x.y', 1, 2)])[0]?.limitKey, null);
});

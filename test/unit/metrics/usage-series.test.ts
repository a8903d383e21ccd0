import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { measureAsSample } from '../../../src/domain/limits/pair-usage-samples.js';
import { ownerLabel, usageRatio, usageSeriesOf } from '../../../src/metrics/usage-series.js';
import { collectionOf, container, namespaceSet, NETNS_BLUE } from '../../helpers/metrics-collections.js';

const CHILD = 'net:4026532500/ipc:4026531839/uts:4026531838';

describe('owner label', () => {
  test('the host is "host" whatever its owners', () => {
    assert.equal(ownerLabel('host', [{ kind: 'process', name: 'init[1]' }]), 'host');
  });

  test('owners are named, containers first, sorted and de-duplicated', () => {
    assert.equal(
      ownerLabel(CHILD, [
        { kind: 'process', name: 'nginx[77]' },
        { kind: 'netns', name: 'blue' },
        { kind: 'container', name: 'web' },
        { kind: 'container', name: 'api' },
        { kind: 'container', name: 'api' },
      ]),
      'api,web,blue,+1',
    );
    assert.equal(ownerLabel(CHILD, [{ kind: 'netns', name: 'blue' }]), 'blue');
  });

  test('a set nobody owns any more is "unknown"', () => {
    assert.equal(ownerLabel(CHILD, []), 'unknown');
  });
});

describe('usage ratio', () => {
  test('levels divide, counters and unbounded limits have none', () => {
    assert.equal(usageRatio('files.allocated', 25, 100), 0.25);
    assert.equal(usageRatio('conntrack.drop.total', 3, 100), null);
    assert.equal(usageRatio('conntrack.entries', 3, 0), null);
  });
});

describe('usage series of a snapshot', () => {
  const host = collectionOf(namespaceSet('host', 'host'), {
    'fs.file-nr': '2848\t0\t9223372036854775807',
    'fs.file-max': '1000000',
    'net.netfilter.nf_conntrack_count': '10',
    'net.netfilter.nf_conntrack_max': '262144',
    'net.core.somaxconn': '4096',
  });

  test('the host gets its sysctl-derived pairs with owner "host"', () => {
    const series = usageSeriesOf([host]);
    const files = series.find((s) => s.metric === 'files.allocated');
    assert.deepEqual(files, {
      metric: 'files.allocated',
      namespace: 'host',
      owner: 'host',
      usage: 2848,
      limit: 1_000_000,
      ratio: 0.002848,
    });
    assert.ok(series.some((s) => s.metric === 'conntrack.entries' && s.usage === 10 && s.limit === 262144));
  });

  test("a child set's measures are paired with the host's limit when the set does not show the key", () => {
    const blue = collectionOf(namespaceSet(CHILD, 'netns', [NETNS_BLUE]), {}, [
      measureAsSample({
        metric: 'tcp.listen_overflows.total',
        usage: 12,
        limitKey: 'net.core.somaxconn',
        usageKey: '/proc/PID/net/netstat',
      }),
    ]);
    const series = usageSeriesOf([host, blue]).filter((s) => s.namespace === CHILD);
    assert.deepEqual(series, [
      {
        metric: 'tcp.listen_overflows.total',
        namespace: CHILD,
        owner: 'blue',
        usage: 12,
        limit: 4096,
        ratio: null,
      },
    ]);
  });

  test("a container's own limit wins over the host's", () => {
    const web = collectionOf(namespaceSet(CHILD, 'container', [container('web')]), {
      'net.netfilter.nf_conntrack_count': '5',
      'net.netfilter.nf_conntrack_max': '100',
    });
    const entries = usageSeriesOf([host, web]).find(
      (s) => s.namespace === CHILD && s.metric === 'conntrack.entries',
    );
    assert.equal(entries?.owner, 'web');
    assert.equal(entries?.limit, 100);
    assert.equal(entries?.ratio, 0.05);
  });

  test('measures whose limit is unknown are dropped, never exported as NaN', () => {
    const orphan = collectionOf(namespaceSet(CHILD, 'netns', [NETNS_BLUE]), {}, [
      measureAsSample({ metric: 'neighbours.entries', usage: 3, limitKey: 'x.y', usageKey: 'arp' }),
    ]);
    assert.deepEqual(
      usageSeriesOf([orphan]).filter((s) => s.namespace === CHILD),
      [],
    );
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isUnpaired,
  keysReadForUsage,
  measureAsSample,
  pairUsageSamples,
  setUsageSamples,
} from '../../../src/domain/limits/pair-usage-samples.js';
import {
  isCounterMetric,
  LIMIT_METRICS,
  limitKeyOfMetric,
} from '../../../src/domain/limits/limit-metrics.js';

const HOST = new Map([
  ['net.ipv4.tcp_mem', '287898\t383865\t575796'],
  ['net.ipv4.neigh.default.gc_thresh3', '1024'],
  ['net.ipv4.ip_local_port_range', '32768\t60999'],
  ['net.core.somaxconn', '4096'],
  ['net.netfilter.nf_conntrack_max', '0'],
  ['kernel.sem', '32000\t1024000000\t500\t32000'],
]);

/** A netns reads its own per-netns keys; tcp_mem and gc_thresh3 are absent in a child netns (KERNEL.md §3). */
const NETNS = new Map([
  ['net.ipv4.ip_local_port_range', '40000 40019'],
  ['net.core.somaxconn', '128'],
]);

const measure = (metric: string, usage: number, limitKey: string) =>
  measureAsSample({ metric, usage, limitKey, usageKey: 'test' });

test('a measure travels unpaired', () => {
  const sample = measure('tcp.memory_pages', 1, 'net.ipv4.tcp_mem');
  assert.equal(isUnpaired(sample), true);
  assert.ok(Number.isNaN(sample.ratio));
});

test('per-netns keys come from the set itself, global keys from the host', () => {
  const paired = pairUsageSamples(
    [
      measure('neighbours.entries', 256, 'net.ipv4.neigh.default.gc_thresh3'),
      measure('tcp.listen_overflows.total', 30, 'net.core.somaxconn'),
      measureAsSample(
        {
          metric: 'ports.in_use',
          usage: Number.NaN,
          limitKey: 'net.ipv4.ip_local_port_range',
          usageKey: 't',
        },
        { kind: 'ports-in-range', localPorts: [5555, 40000, 40001, 40019, 40020, 33000] },
      ),
    ],
    NETNS,
    HOST,
  );
  assert.deepEqual(
    paired.map((s) => [s.metric, s.usage, s.limit, Number.isNaN(s.ratio) ? 'NaN' : s.ratio]),
    [
      ['neighbours.entries', 256, 1024, 0.25],
      ['tcp.listen_overflows.total', 30, 128, 'NaN'],
      ['ports.in_use', 3, 20, 0.15],
    ],
  );
  assert.equal(
    paired.some((s) => 'pending' in s),
    false,
    'nothing pending reaches storage',
  );
});

test('without the host values a global key absent in the set drops its measure', () => {
  const paired = pairUsageSamples([measure('tcp.memory_pages', 186, 'net.ipv4.tcp_mem')], NETNS);
  assert.deepEqual(paired, []);
});

test('the host pairs against its own values (3rd field of tcp_mem, 4th of kernel.sem)', () => {
  const paired = pairUsageSamples(
    [measure('tcp.memory_pages', 186, 'net.ipv4.tcp_mem'), measure('ipc.sem_sets', 3, 'kernel.sem')],
    HOST,
  );
  assert.deepEqual(
    paired.map((s) => [s.metric, s.limit, s.ratio]),
    [
      ['tcp.memory_pages', 575796, 186 / 575796],
      ['ipc.sem_sets', 32000, 3 / 32000],
    ],
  );
});

test('a level with limit 0 (no limit) is dropped; a counter keeps it; malformed usage is dropped', () => {
  const paired = pairUsageSamples(
    [
      measure('conntrack.entries', 5, 'net.netfilter.nf_conntrack_max'),
      measure('conntrack.drop.total', 7, 'net.netfilter.nf_conntrack_max'),
      measure('ipc.shm_segments', -1, 'kernel.shmmni'),
      measure('ipc.shm_segments', 2, 'kernel.shmmni'),
    ],
    HOST,
  );
  assert.deepEqual(
    paired.map((s) => [s.metric, s.usage, s.limit]),
    [['conntrack.drop.total', 7, 0]],
  );
});

test('a set own value that does not parse falls back to the host value', () => {
  const own = new Map([['net.ipv4.ip_local_port_range', 'garbage']]);
  const [sample] = pairUsageSamples(
    [
      measureAsSample(
        {
          metric: 'ports.in_use',
          usage: Number.NaN,
          limitKey: 'net.ipv4.ip_local_port_range',
          usageKey: 't',
        },
        { kind: 'ports-in-range', localPorts: [32768, 1] },
      ),
    ],
    own,
    HOST,
  );
  assert.equal(sample?.usage, 1);
  assert.equal(sample?.limit, 28232);
});

test('already paired samples pass unchanged', () => {
  const ready = {
    metric: 'files.allocated',
    usage: 1,
    limit: 2,
    ratio: 0.5,
    limitKey: 'fs.file-max',
    usageKey: 'fs.file-nr',
  };
  assert.deepEqual(pairUsageSamples([ready], new Map()), [ready]);
});

test('the catalog: `.total` marks counters; every metric names its limit key', () => {
  const counters = LIMIT_METRICS.filter((m) => isCounterMetric(m.metric)).map((m) => m.metric);
  assert.deepEqual(counters, [
    'conntrack.drop.total',
    'conntrack.early_drop.total',
    'conntrack.insert_failed.total',
    'tcp.listen_overflows.total',
    'tcp.listen_drops.total',
    'tcp.syn_queue_drops.total',
    'tcp.syn_queue_cookies.total',
    'tcp.memory_pressures.total',
    'neighbours.table_fulls.total',
  ]);
  // tcp_conn_request(): the SYN queue is full past min(listen() backlog, somaxconn), not tcp_max_syn_backlog.
  assert.equal(limitKeyOfMetric('tcp.syn_queue_drops.total'), 'net.core.somaxconn');
  assert.equal(limitKeyOfMetric('tcp.memory_pressures.total'), 'net.ipv4.tcp_mem');
  assert.equal(limitKeyOfMetric('neighbours.table_fulls.total'), 'net.ipv4.neigh.default.gc_thresh3');
  assert.equal(limitKeyOfMetric('ports.in_use'), 'net.ipv4.ip_local_port_range');
  assert.equal(limitKeyOfMetric('nope'), undefined);
  assert.equal(new Set(LIMIT_METRICS.map((m) => m.metric)).size, LIMIT_METRICS.length);
});

test('a counter tied to its limit only under one setting is kept only where the set itself reads that value', () => {
  const cookies = measureAsSample(
    { metric: 'tcp.syn_queue_cookies.total', usage: 9, limitKey: 'net.core.somaxconn', usageKey: 'netstat' },
    { kind: 'while-setting', key: 'net.ipv4.tcp_syncookies', value: '1', usage: 9 },
  );
  const own = (syncookies: string): Map<string, string> =>
    new Map([
      ['net.core.somaxconn', '64'],
      ['net.ipv4.tcp_syncookies', syncookies],
    ]);
  const paired = pairUsageSamples([cookies], own('1'));
  assert.equal(paired.length, 1);
  assert.equal(paired[0]?.usage, 9);
  assert.equal(paired[0]?.limit, 64);
  assert.equal('pending' in (paired[0] ?? {}), false);
  assert.deepEqual(pairUsageSamples([cookies], own('2')), [], 'tcp_syncookies=2: every SYN counts');
  assert.deepEqual(pairUsageSamples([cookies], own('0')), []);
  const hostOnly = new Map([['net.ipv4.tcp_syncookies', '1']]);
  assert.deepEqual(
    pairUsageSamples([cookies], new Map([['net.core.somaxconn', '64']]), hostOnly),
    [],
    "the host's tcp_syncookies never stands in for the set's own",
  );
});

test('a set reduced to the keys usage pairing reads gives the same samples as all its values', () => {
  const own = new Map([
    ...NETNS,
    ['net.netfilter.nf_conntrack_count', '12'],
    ['net.netfilter.nf_conntrack_max', '262144'],
    ['net.ipv4.tcp_syncookies', '1'],
    ['net.ipv4.conf.eth0.forwarding', '1'],
    ['net.ipv6.conf.eth0.mtu', '1500'],
  ]);
  const measures = [
    measure('tcp.memory_pages', 1, 'net.ipv4.tcp_mem'),
    measure('listen.backlog', 3, 'net.core.somaxconn'),
    measureAsSample(
      { metric: 'ports.ephemeral', usage: 0, limitKey: 'net.ipv4.ip_local_port_range', usageKey: 'test' },
      { kind: 'ports-in-range', localPorts: [40000, 40001, 50000] },
    ),
    measureAsSample(
      { metric: 'listen.syn_drops.total', usage: 0, limitKey: 'net.core.somaxconn', usageKey: 'test' },
      { kind: 'while-setting', key: 'net.ipv4.tcp_syncookies', value: '1', usage: 9 },
    ),
  ];
  const keys = keysReadForUsage(measures);
  const reduced = new Map([...own].filter(([key]) => keys.has(key)));
  assert.ok(!keys.has('net.ipv4.conf.eth0.forwarding'));
  assert.ok(reduced.size < own.size);
  const full = setUsageSamples(own, measures, HOST);
  assert.ok(full.length >= 4);
  assert.deepEqual(setUsageSamples(reduced, measures, HOST), full);
});

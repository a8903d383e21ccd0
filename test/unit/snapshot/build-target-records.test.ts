import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { TargetCollection } from '../../../src/collectors/collector-runner.js';
import type { ValueState } from '../../../src/domain/history/diff-value-maps.js';
import {
  SAMPLE_HEARTBEAT_MS,
  type StoredSample,
} from '../../../src/domain/limits/select-samples-to-store.js';
import { parseConntrackStat } from '../../../src/domain/limits/parse-conntrack-stat.js';
import type { UsageSample } from '../../../src/domain/limits/usage-pairs.js';
import type { NamespaceSet } from '../../../src/domain/namespaces/namespace-types.js';
import type { SysctlReading } from '../../../src/domain/sysctl/sysctl-types.js';
import { buildTargetRecord, vanishedTargetRecord } from '../../../src/snapshot/build-target-records.js';
import { loadProcSysFixture } from '../../helpers/proc-fixture.js';
import { repoPath } from '../../helpers/repo-path.js';

const TAKEN_AT = Date.parse('2026-11-29T02:10:00Z');
const HOST_INODES = { net: 4026531833, ipc: 4026531839, uts: 4026531838 };

const NETNS_SET: NamespaceSet = {
  identity: 'net:4026532500/ipc:4026531839/uts:4026531838',
  kind: 'netns',
  inodes: { net: 4026532500, ipc: 4026531839, uts: 4026531838 },
  differingTypes: ['net'],
  entry: { net: '/run/netns/blue' },
  pid: 8700,
  owners: [{ kind: 'netns', name: 'blue', path: '/run/netns/blue' }],
};

const HOST_SET: NamespaceSet = {
  identity: 'host',
  kind: 'host',
  inodes: HOST_INODES,
  differingTypes: [],
  entry: {},
  pid: 1,
  owners: [],
};

function readable(key: string, value: string): SysctlReading {
  return { key, access: 'readable', value };
}

function collection(
  set: NamespaceSet,
  readings: SysctlReading[],
  samples: UsageSample[] = [],
  complete = true,
): TargetCollection {
  return {
    target: { set, procRoot: '/proc', timeoutMs: 5000 },
    readings,
    samples,
    errors: [],
    complete,
    method: set.identity === 'host' ? 'in-process' : 'nsenter',
  };
}

function conntrackSample(usage: number, limit = 262144): UsageSample {
  return {
    metric: 'conntrack.entries',
    usage,
    limit,
    ratio: usage / limit,
    usageKey: 'net.netfilter.nf_conntrack_count',
    limitKey: 'net.netfilter.nf_conntrack_max',
  };
}

/** What the sysctl collector reads in the netns of test/fixtures/conntrack-stat/netns-with-entries-6.18.txt. */
const NETNS_READINGS: SysctlReading[] = [
  readable('net.core.somaxconn', '4096'),
  readable('net.ipv4.ip_local_port_range', '32768\t60999'),
  { key: 'net.ipv4.route.flush', access: 'write-only', value: null },
  { key: 'net.ipv6.conf.all.stable_secret', access: 'unreadable', value: null, error: 'EIO' },
  readable('net.netfilter.nf_conntrack_count', '19'),
  readable('net.netfilter.nf_conntrack_max', '262144'),
];

/** The conntrack collector's reading of the same netns, a moment later. */
function statSample(file: string): UsageSample {
  const stat = parseConntrackStat(readFileSync(repoPath('test', 'fixtures', 'conntrack-stat', file), 'utf8'));
  if (!stat) throw new Error(`${file} does not parse`);
  return conntrackSample(stat.entries);
}

test('the heartbeat is one hour', () => {
  assert.equal(SAMPLE_HEARTBEAT_MS, 3_600_000);
});

test('vanishedTargetRecord closes every key of the previous state, unreadable ones included', () => {
  const previous: ValueState = new Map<string, string | null>([
    ['net.core.somaxconn', '4096'],
    ['net.ipv4.ip_local_port_range', '32768\t60999'],
    ['net.ipv6.conf.all.stable_secret', null],
  ]);
  assert.deepEqual(vanishedTargetRecord(NETNS_SET.identity, previous), {
    identity: 'net:4026532500/ipc:4026531839/uts:4026531838',
    kind: 'process',
    inodes: { net: null, ipc: null, uts: null },
    owners: [],
    vanished: true,
    complete: false,
    changes: [
      { key: 'net.core.somaxconn', kind: 'removed', before: '4096', after: undefined },
      { key: 'net.ipv4.ip_local_port_range', kind: 'removed', before: '32768\t60999', after: undefined },
      { key: 'net.ipv6.conf.all.stable_secret', kind: 'removed', before: null, after: undefined },
    ],
    volatileValues: [],
    samples: [],
  });
});

test('vanishedTargetRecord of a set with no remembered state closes nothing', () => {
  const record = vanishedTargetRecord('net:1/ipc:2/uts:3', new Map());
  assert.deepEqual(record.changes, []);
  assert.equal(record.vanished, true);
});

test('first snapshot of a netns: settings added, counters apart, write-only left out, collector sample wins', () => {
  const collectorSample = statSample('netns-with-entries-6.18.txt');
  assert.deepEqual(collectorSample, conntrackSample(20));
  const planned = buildTargetRecord(
    collection(NETNS_SET, NETNS_READINGS, [collectorSample]),
    new Map(),
    new Map(),
    TAKEN_AT,
  );
  assert.deepEqual(planned, {
    record: {
      identity: 'net:4026532500/ipc:4026531839/uts:4026531838',
      kind: 'netns',
      inodes: { net: 4026532500, ipc: 4026531839, uts: 4026531838 },
      owners: [{ kind: 'netns', name: 'blue', path: '/run/netns/blue' }],
      netnsSharers: [],
      keyNamespaceInodes: { pid: null, user: null },
      vanished: false,
      complete: true,
      changes: [
        { key: 'net.core.somaxconn', kind: 'added', before: undefined, after: '4096' },
        { key: 'net.ipv4.ip_local_port_range', kind: 'added', before: undefined, after: '32768\t60999' },
        { key: 'net.ipv6.conf.all.stable_secret', kind: 'added', before: undefined, after: null },
        { key: 'net.netfilter.nf_conntrack_max', kind: 'added', before: undefined, after: '262144' },
      ],
      volatileValues: [{ key: 'net.netfilter.nf_conntrack_count', value: '19' }],
      // Derived from nf_conntrack_count (19) and replaced by the collector's stat file reading (20).
      samples: [conntrackSample(20)],
    },
    nextState: new Map<string, string | null>([
      ['net.core.somaxconn', '4096'],
      ['net.ipv4.ip_local_port_range', '32768\t60999'],
      ['net.ipv6.conf.all.stable_secret', null],
      ['net.netfilter.nf_conntrack_max', '262144'],
    ]),
  });
});

test('without a collector sample the one derived from the sysctls is stored', () => {
  const planned = buildTargetRecord(collection(NETNS_SET, NETNS_READINGS), new Map(), new Map(), TAKEN_AT);
  assert.deepEqual(planned.record.samples, [conntrackSample(19)]);
});

test('next snapshot: only changed settings, and samples only when changed or due', () => {
  const previous = new Map<string, string | null>([
    ['net.core.somaxconn', '4096'],
    ['net.ipv4.ip_local_port_range', '32768\t60999'],
    ['net.ipv6.conf.all.stable_secret', null],
    ['net.netfilter.nf_conntrack_max', '262144'],
    ['net.ipv4.tcp_fin_timeout', '60'],
  ]);
  const readings = NETNS_READINGS.map((r) =>
    r.key === 'net.core.somaxconn' ? readable('net.core.somaxconn', '1024') : r,
  );
  const recent = (usage: number): Map<string, StoredSample> =>
    new Map([['conntrack.entries', { usage, limit: 262144, takenAt: TAKEN_AT - 60_000 }]]);

  const unchanged = buildTargetRecord(
    collection(NETNS_SET, readings, [conntrackSample(20)]),
    previous,
    recent(20),
    TAKEN_AT,
  );
  assert.deepEqual(unchanged.record.changes, [
    { key: 'net.core.somaxconn', kind: 'changed', before: '4096', after: '1024' },
    { key: 'net.ipv4.tcp_fin_timeout', kind: 'removed', before: '60', after: undefined },
  ]);
  // The derived sample (19) differs from the stored 20, but the collector's 20 wins: nothing to store.
  assert.deepEqual(unchanged.record.samples, [], 'same usage and limit a minute ago: not stored');
  assert.equal(unchanged.nextState.get('net.core.somaxconn'), '1024');
  assert.equal(unchanged.nextState.has('net.ipv4.tcp_fin_timeout'), false);

  assert.deepEqual(
    buildTargetRecord(collection(NETNS_SET, readings, [conntrackSample(21)]), previous, recent(20), TAKEN_AT)
      .record.samples,
    [conntrackSample(21)],
  );
  const due = new Map([
    ['conntrack.entries', { usage: 20, limit: 262144, takenAt: TAKEN_AT - SAMPLE_HEARTBEAT_MS }],
  ]);
  assert.deepEqual(
    buildTargetRecord(collection(NETNS_SET, readings, [conntrackSample(20)]), previous, due, TAKEN_AT).record
      .samples,
    [conntrackSample(20)],
    'an hour-old stored sample: stored again as a heartbeat',
  );
});

test('an incomplete read (the sysctl collector failed) removes nothing and keeps the previous state', () => {
  const previous = new Map<string, string | null>([
    ['net.core.somaxconn', '4096'],
    ['net.netfilter.nf_conntrack_max', '262144'],
  ]);
  const planned = buildTargetRecord(
    collection(NETNS_SET, [], [conntrackSample(20)], false),
    previous,
    new Map(),
    TAKEN_AT,
  );
  assert.deepEqual(planned.record.changes, []);
  assert.deepEqual(planned.record.volatileValues, []);
  assert.deepEqual(planned.record.samples, [conntrackSample(20)], 'the conntrack collector still reported');
  assert.deepEqual(planned.nextState, previous);
});

test('host capture: every readable or unreadable setting added, 23 counters apart, four usage samples', () => {
  const fixture = loadProcSysFixture();
  const readings: SysctlReading[] = [...fixture].map(([key, entry]) =>
    (entry.mode & 0o444) === 0
      ? { key, access: 'write-only', value: null }
      : entry.error
        ? { key, access: 'unreadable', value: null, error: entry.error }
        : { key, access: 'readable', value: entry.value },
  );
  const planned = buildTargetRecord(
    collection(HOST_SET, readings, [statSample('host-6.18.txt')]),
    new Map(),
    new Map(),
    TAKEN_AT,
  );
  const { record } = planned;
  assert.equal(readings.length, 1336);
  assert.equal(record.changes.length, 1336 - 7 - 23, 'all but 7 write-only keys and 23 volatile ones');
  assert.equal(
    record.changes.every((c) => c.kind === 'added'),
    true,
  );
  assert.equal(record.changes.filter((c) => c.after === null).length, 6, 'the six unset stable_secret');
  assert.equal(record.volatileValues.length, 23);
  assert.deepEqual(
    record.volatileValues.find((v) => v.key === 'fs.file-nr'),
    { key: 'fs.file-nr', value: '352\t0\t2466160' },
  );
  assert.equal(planned.nextState.size, 1306);
  // nf_conntrack_count read 0 in the sysctl capture; the stat file of the host says 12 and wins.
  assert.deepEqual(record.samples, [
    conntrackSample(12),
    {
      metric: 'files.allocated',
      usage: 352,
      limit: 2466160,
      limitKey: 'fs.file-max',
      usageKey: 'fs.file-nr',
      ratio: 352 / 2466160,
    },
    {
      metric: 'aio.requests',
      usage: 0,
      limit: 65536,
      limitKey: 'fs.aio-max-nr',
      usageKey: 'fs.aio-nr',
      ratio: 0,
    },
    {
      metric: 'pty.allocated',
      usage: 0,
      limit: 4096,
      limitKey: 'kernel.pty.max',
      usageKey: 'kernel.pty.nr',
      ratio: 0,
    },
  ]);
  assert.equal(record.identity, 'host');
  assert.equal(record.kind, 'host');
  assert.deepEqual(record.inodes, HOST_INODES);
});

test('the same readings array planned against its own result keeps that state and changes nothing', () => {
  const readings = [readable('net.core.somaxconn', '4096'), readable('net.ipv4.tcp_syncookies', '1')];
  const previous: ValueState = new Map([['net.core.somaxconn', '128']]);
  const first = buildTargetRecord(collection(NETNS_SET, readings), previous, new Map(), TAKEN_AT);
  assert.deepEqual(
    first.record.changes.map((c) => [c.key, c.kind]),
    [
      ['net.core.somaxconn', 'changed'],
      ['net.ipv4.tcp_syncookies', 'added'],
    ],
  );
  const again = buildTargetRecord(collection(NETNS_SET, readings), first.nextState, new Map(), TAKEN_AT + 1);
  assert.deepEqual(again.record.changes, []);
  assert.equal(again.nextState, first.nextState, 'the state map is kept, not rebuilt');
  // Against any other state (a restart loaded it from the database) the readings are planned afresh.
  const reloaded: ValueState = new Map([['net.core.somaxconn', '4096']]);
  const fresh = buildTargetRecord(collection(NETNS_SET, readings), reloaded, new Map(), TAKEN_AT + 2);
  assert.deepEqual(
    fresh.record.changes.map((c) => [c.key, c.kind]),
    [['net.ipv4.tcp_syncookies', 'added']],
  );
  assert.deepEqual([...fresh.nextState], [...first.nextState]);
});

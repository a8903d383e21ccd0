import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TargetCollection } from '../../../src/collectors/collector-runner.js';
import type { ValueState } from '../../../src/domain/history/diff-value-maps.js';
import { measureAsSample } from '../../../src/domain/limits/pair-usage-samples.js';
import type { UsageSample } from '../../../src/domain/limits/usage-pairs.js';
import type { NamespaceSet } from '../../../src/domain/namespaces/namespace-types.js';
import type { Scope, SysctlReading } from '../../../src/domain/sysctl/sysctl-types.js';
import { finishTargetRecord } from '../../../src/snapshot/build-target-records.js';
import { CollectionReducer } from '../../../src/snapshot/collection-reducer.js';
import { KeyClassifier } from '../../../src/snapshot/key-classifier.js';
import type { SnapshotSettings } from '../../../src/snapshot/snapshot.tokens.js';
import type { KeyCatalog } from '../../../src/storage/key-catalog.js';
import type { LastKnownState } from '../../../src/storage/last-known-state.js';

/** The catalog as the reducer asks it: which keys it holds, and their scope. */
function catalogOf(scopes: Record<string, Scope>): KeyCatalog {
  const entries = new Map(Object.entries(scopes));
  return { has: (key: string) => entries.has(key), scopeOf: (key: string) => entries.get(key) } as KeyCatalog;
}

/** Last known states, by set identity (none: never seen). */
function statesOf(states: Record<string, ValueState> = {}): LastKnownState {
  return { stateOf: (identity: string) => Promise.resolve(states[identity] ?? new Map()) } as LastKnownState;
}

const classifier = new KeyClassifier({ procRoot: '/proc' } as SnapshotSettings);

function set(identity: string): NamespaceSet {
  const inode = identity === 'host' ? 4026531833 : 4026532000 + identity.length;
  return {
    identity,
    kind: identity === 'host' ? 'host' : 'pod',
    inodes: { net: inode, ipc: inode + 1, uts: inode + 2 },
    differingTypes: identity === 'host' ? [] : ['net', 'ipc', 'uts'],
    entry: {},
    pid: 1,
    owners: [],
  } as NamespaceSet;
}

function collection(
  identity: string,
  readings: SysctlReading[],
  samples: UsageSample[] = [],
): TargetCollection {
  return {
    target: { set: set(identity), procRoot: '/proc', timeoutMs: 5000 },
    readings,
    samples,
    errors: [],
    complete: true,
    method: identity === 'host' ? 'in-process' : 'nsenter',
  };
}

const readable = (key: string, value: string): SysctlReading => ({ key, access: 'readable', value });

test('a set other than the host keeps only the readings usage pairing and observed scopes read', async () => {
  const reducer = new CollectionReducer(
    catalogOf({
      'net.ipv4.conf.eth0.forwarding': 'net',
      'net.core.somaxconn': 'net',
      'kernel.hostname': 'uts',
      'net.core.bpf_jit_enable': 'global',
    }),
    classifier,
    statesOf({ 'pod-a': new Map([['net.ipv4.conf.eth0.forwarding', '0']]) }),
    new WeakSet(),
  );
  const readings = [
    readable('net.ipv4.conf.eth0.forwarding', '1'),
    readable('net.core.somaxconn', '4096'),
    readable('kernel.hostname', 'pod-a'),
    readable('net.core.bpf_jit_enable', '1'),
    readable('net.netfilter.nf_conntrack_max', '262144'),
  ];
  const listen = measureAsSample({
    metric: 'listen.overflows.total',
    usage: 1,
    limitKey: 'net.core.somaxconn',
    usageKey: 'test',
  });
  const pod = await reducer.reduce(collection('pod-a', readings, [listen]), 1);
  assert.deepEqual(
    pod.collection.readings.map((r) => r.key),
    ['net.core.somaxconn', 'net.core.bpf_jit_enable', 'net.netfilter.nf_conntrack_max'],
  );
  assert.deepEqual(
    pod.plan.changes.map((c) => [c.key, c.kind]),
    [
      ['kernel.hostname', 'added'],
      ['net.core.bpf_jit_enable', 'added'],
      ['net.core.somaxconn', 'added'],
      ['net.ipv4.conf.eth0.forwarding', 'changed'],
      ['net.netfilter.nf_conntrack_max', 'added'],
    ],
    'changes are planned on every reading',
  );
  const host = await reducer.reduce(collection('host', readings), 0);
  assert.equal(host.collection.readings.length, readings.length, 'the host keeps all');
  assert.equal(reducer.keysRead, 2 * readings.length);
});

test('new keys come out in target order, with the access of the first target, whatever order reads complete in', async () => {
  const reducer = new CollectionReducer(
    catalogOf({ 'kernel.hostname': 'uts' }),
    classifier,
    statesOf(),
    new WeakSet(),
  );
  const secret: SysctlReading = {
    key: 'net.ipv6.conf.eth0.stable_secret',
    access: 'unreadable',
    value: null,
    error: 'EIO',
  };
  await reducer.reduce(
    collection('pod-b', [
      readable('net.ipv4.conf.eth0.forwarding', '1'),
      readable('net.ipv4.ping_group_range', '0 0'),
    ]),
    2,
  );
  await reducer.reduce(collection('pod-a', [secret, readable('net.ipv4.conf.eth0.forwarding', '0')]), 1);
  await reducer.reduce(
    collection('host', [readable('kernel.hostname', 'node'), readable('fs.file-max', '9')]),
    0,
  );
  await reducer.reduce(collection('pod-c', [{ ...secret, access: 'readable', value: 'x' }]), 3);
  assert.deepEqual(
    reducer.newKeys().map((k) => [k.name, k.access]),
    [
      ['fs.file-max', 'readable'],
      ['net.ipv6.conf.eth0.stable_secret', 'unreadable'],
      ['net.ipv4.conf.eth0.forwarding', 'readable'],
      ['net.ipv4.ping_group_range', 'readable'],
    ],
  );
  assert.equal(reducer.newKeys()[0]?.classification.scope, 'global');
});

test('readings whose every key the catalog held are not looked up again in a later snapshot', async () => {
  const catalogued = new WeakSet<readonly SysctlReading[]>();
  const known = [readable('kernel.hostname', 'node')];
  const catalog = catalogOf({ 'kernel.hostname': 'uts' });
  await new CollectionReducer(catalog, classifier, statesOf(), catalogued).reduce(
    collection('pod-a', known),
    0,
  );
  assert.ok(catalogued.has(known));
  const unknown = [readable('net.ipv4.ping_group_range', '0 0')];
  const reducer = new CollectionReducer(catalog, classifier, statesOf(), catalogued);
  await reducer.reduce(collection('pod-b', unknown), 0);
  assert.equal(catalogued.has(unknown), false);
  assert.deepEqual(
    reducer.newKeys().map((k) => k.name),
    ['net.ipv4.ping_group_range'],
  );
});

test('a usage-only read pairs with its own last known limits, and with the host of this snapshot for a global one', async () => {
  // The pod's last full read saw nf_conntrack_max at 262144 (the host's mirror) and its own somaxconn 64;
  // the host has lowered nf_conntrack_max to 1024 since.
  const reducer = new CollectionReducer(
    catalogOf({ 'net.core.somaxconn': 'net', 'net.netfilter.nf_conntrack_max': 'global' }),
    classifier,
    statesOf({
      'pod-a': new Map([
        ['net.core.somaxconn', '64'],
        ['net.netfilter.nf_conntrack_max', '262144'],
      ]),
    }),
    new WeakSet(),
  );
  const entries = measureAsSample({
    metric: 'conntrack.entries',
    usage: 512,
    limitKey: 'net.netfilter.nf_conntrack_max',
    usageKey: 'net.netfilter.nf_conntrack_count',
  });
  const backlog = measureAsSample({
    metric: 'listen.queue',
    usage: 32,
    limitKey: 'net.core.somaxconn',
    usageKey: 'test',
  });
  const usageOnly = { ...collection('pod-a', [], [entries, backlog]), usageOnly: true };
  const pod = await reducer.reduce(usageOnly, 1);
  assert.deepEqual(
    pod.collection.readings.map((r) => [r.key, r.value]),
    [['net.core.somaxconn', '64']],
    'no stale copy of a global key stands in',
  );
  assert.deepEqual(pod.plan.changes, [], 'nothing is planned from a usage-only read');
  const record = finishTargetRecord(
    pod.collection,
    pod.plan,
    new Map(),
    Date.now(),
    new Map([['net.netfilter.nf_conntrack_max', '1024']]),
  ).record;
  assert.deepEqual(record.samples.map((s) => [s.metric, s.usage, s.limit]).sort(), [
    ['conntrack.entries', 512, 1024],
    ['listen.queue', 32, 64],
  ]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type ObservedSet,
  observeNamespacedKeys,
} from '../../../src/domain/classification/observe-namespaced-keys.js';
import { classifyKey } from '../../../src/domain/classification/classify-key.js';
import { isVolatileKey } from '../../../src/domain/classification/volatile-keys.js';
import type { ValueState } from '../../../src/domain/history/diff-value-maps.js';
import { parseSysctlDump } from '../../../src/domain/sysctl/parse-sysctl-dump.js';
import { loadNamespaceDumpFixture } from '../../helpers/namespace-dump-fixture.js';
import type { Scope } from '../../../src/domain/sysctl/sysctl-types.js';
import { loadProcSysFixture } from '../../helpers/proc-fixture.js';

/**
 * A catalog that is wrong about a few keys (as an older or incomplete table would be): it calls the namespaced
 * `net.core.somaxconn`, `kernel.hostname`, `kernel.shmmax` and `kernel.sem` global.
 */
const SCOPES = new Map<string, Scope>([
  ['net.core.somaxconn', 'global'],
  ['net.ipv4.tcp_fin_timeout', 'global'],
  ['net.netfilter.nf_conntrack_max', 'global'],
  ['net.netfilter.nf_conntrack_count', 'global'],
  ['kernel.hostname', 'global'],
  ['kernel.shmmax', 'global'],
  ['kernel.sem', 'global'],
  ['kernel.random.boot_id', 'global'],
  ['fs.file-max', 'global'],
  ['net.ipv4.ip_local_port_range', 'net'],
  ['kernel.msgmax', 'ipc'],
  ['kernel.domainname', 'uts'],
]);
const scopeOf = (key: string): Scope | undefined => SCOPES.get(key);

const HOST: ValueState = new Map<string, string | null>([
  ['fs.file-max', '2466160'],
  ['kernel.domainname', '(none)'],
  ['kernel.hostname', 'vm'],
  ['kernel.msgmax', '8192'],
  ['kernel.random.boot_id', '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'],
  ['kernel.sem', '32000\t1024000000\t500\t32000'],
  ['kernel.shmmax', '18446744073692774399'],
  ['net.core.somaxconn', '4096'],
  ['net.ipv4.ip_local_port_range', '32768\t60999'],
  ['net.ipv4.tcp_fin_timeout', '60'],
  ['net.netfilter.nf_conntrack_count', '12'],
  ['net.netfilter.nf_conntrack_max', '262144'],
]);

const ALL = 'net:4026532290/ipc:4026532288/uts:4026532287';
const UTS_ONLY = 'net:4026531833/ipc:4026531839/uts:4026532801';
const IPC_ONLY = 'net:4026531833/ipc:4026532288/uts:4026531838';
const IPC_UTS = 'net:4026531833/ipc:4026532301/uts:4026532300';
const NET_ONLY = 'net:4026532500/ipc:4026531839/uts:4026531838';

function set(
  identity: string,
  differingTypes: ObservedSet['differingTypes'],
  values: [string, string | null][],
): ObservedSet {
  return { identity, differingTypes, values: new Map(values) };
}

function observe(sets: readonly ObservedSet[]) {
  return observeNamespacedKeys(HOST, sets, scopeOf, isVolatileKey);
}

function evidence(namespace: string, hostValue: string, namespaceValue: string) {
  return { method: 'observed-values' as const, namespace, hostValue, namespaceValue };
}

test('a net.* key called global that differs in another set is net-scoped, with both values as evidence', () => {
  assert.deepEqual(observe([set(ALL, ['net', 'ipc', 'uts'], [['net.core.somaxconn', '1024']])]), [
    { key: 'net.core.somaxconn', scope: 'net', evidence: evidence(ALL, '4096', '1024') },
  ]);
});

test('a non-net key takes the one non-net type the set differs in', () => {
  const cases: readonly [
    label: string,
    s: ObservedSet,
    key: string,
    scope: Scope,
    hostValue: string,
    value: string,
  ][] = [
    [
      'uts only',
      set(UTS_ONLY, ['uts'], [['kernel.hostname', 'kl-fixture']]),
      'kernel.hostname',
      'uts',
      'vm',
      'kl-fixture',
    ],
    [
      'ipc only',
      set(IPC_ONLY, ['ipc'], [['kernel.shmmax', '68719476736']]),
      'kernel.shmmax',
      'ipc',
      '18446744073692774399',
      '68719476736',
    ],
    [
      'net and uts: net does not count',
      set('net:1/ipc:4026531839/uts:2', ['net', 'uts'], [['kernel.hostname', 'pod']]),
      'kernel.hostname',
      'uts',
      'vm',
      'pod',
    ],
    [
      'net and ipc: net does not count',
      set('net:1/ipc:3/uts:4026531838', ['net', 'ipc'], [['kernel.sem', '250\t32000\t100\t128']]),
      'kernel.sem',
      'ipc',
      '32000\t1024000000\t500\t32000',
      '250\t32000\t100\t128',
    ],
  ];
  for (const [label, s, key, scope, hostValue, value] of cases) {
    assert.deepEqual(observe([s]), [{ key, scope, evidence: evidence(s.identity, hostValue, value) }], label);
  }
});

test('a non-net key is left alone when the set offers no single candidate type', () => {
  const cases: readonly [label: string, s: ObservedSet][] = [
    ['ipc and uts', set(IPC_UTS, ['ipc', 'uts'], [['kernel.hostname', 'metrics']])],
    ['all three', set(ALL, ['net', 'ipc', 'uts'], [['kernel.shmmax', '1']])],
    ['net only', set(NET_ONLY, ['net'], [['fs.file-max', '1000']])],
    ['nothing differs', set('host-like', [], [['kernel.hostname', 'other']])],
  ];
  for (const [label, s] of cases) assert.deepEqual(observe([s]), [], label);
});

test('keys are skipped when they are not global, unknown, volatile, missing on the host, equal or unreadable', () => {
  const cases: readonly [label: string, values: [string, string | null][]][] = [
    ['already net-scoped', [['net.ipv4.ip_local_port_range', '1024\t65000']]],
    ['already ipc-scoped', [['kernel.msgmax', '65536']]],
    ['already uts-scoped', [['kernel.domainname', 'example']]],
    ['not in the catalog', [['net.ipv4.tcp_keepalive_time', '600']]],
    ['volatile counter', [['net.netfilter.nf_conntrack_count', '3']]],
    ['volatile kernel.random.*', [['kernel.random.boot_id', 'ffffffff-0000-0000-0000-000000000000']]],
    ['not on the host', [['net.ipv4.conf.eth0/100.rp_filter', '2']]],
    ['same value (a mirrored key)', [['net.netfilter.nf_conntrack_max', '262144']]],
    ['unreadable in the set', [['net.core.somaxconn', null]]],
  ];
  for (const [label, values] of cases) {
    const scopes = new Map(SCOPES).set('net.ipv4.conf.eth0/100.rp_filter', 'global');
    assert.deepEqual(
      observeNamespacedKeys(
        HOST,
        [set(ALL, ['net', 'ipc', 'uts'], values)],
        (k) => scopes.get(k),
        isVolatileKey,
      ),
      [],
      label,
    );
  }
});

test('a key unreadable on the host is not observed', () => {
  const host = new Map<string, string | null>([['net.core.somaxconn', null]]);
  assert.deepEqual(
    observeNamespacedKeys(
      host,
      [set(ALL, ['net', 'ipc', 'uts'], [['net.core.somaxconn', '1024']])],
      scopeOf,
      isVolatileKey,
    ),
    [],
  );
});

test('values compare exactly: a whitespace-only difference counts as a difference', () => {
  assert.deepEqual(observe([set(ALL, ['net', 'ipc', 'uts'], [['net.core.somaxconn', '4096 ']])]), [
    { key: 'net.core.somaxconn', scope: 'net', evidence: evidence(ALL, '4096', '4096 ') },
  ]);
});

test('the first set showing a difference gives the evidence; each key is reported once, in discovery order', () => {
  const sets = [
    set(UTS_ONLY, ['uts'], [['kernel.hostname', 'first']]),
    set(
      ALL,
      ['net', 'ipc', 'uts'],
      [
        ['net.core.somaxconn', '1024'],
        ['kernel.hostname', 'second'],
        ['net.ipv4.tcp_fin_timeout', '30'],
      ],
    ),
    set(
      NET_ONLY,
      ['net'],
      [
        ['net.core.somaxconn', '128'],
        ['net.ipv4.tcp_fin_timeout', '60'],
      ],
    ),
    set(IPC_ONLY, ['ipc'], [['kernel.sem', '250\t32000\t100\t128']]),
  ];
  assert.deepEqual(observe(sets), [
    { key: 'kernel.hostname', scope: 'uts', evidence: evidence(UTS_ONLY, 'vm', 'first') },
    { key: 'net.core.somaxconn', scope: 'net', evidence: evidence(ALL, '4096', '1024') },
    { key: 'net.ipv4.tcp_fin_timeout', scope: 'net', evidence: evidence(ALL, '60', '30') },
    {
      key: 'kernel.sem',
      scope: 'ipc',
      evidence: evidence(IPC_ONLY, '32000\t1024000000\t500\t32000', '250\t32000\t100\t128'),
    },
  ]);
});

test('a set whose ambiguous difference is skipped does not hide a later set that settles it', () => {
  const sets = [
    set(IPC_UTS, ['ipc', 'uts'], [['kernel.hostname', 'metrics']]),
    set(UTS_ONLY, ['uts'], [['kernel.hostname', 'kl-fixture']]),
  ];
  assert.deepEqual(observe(sets), [
    { key: 'kernel.hostname', scope: 'uts', evidence: evidence(UTS_ONLY, 'vm', 'kl-fixture') },
  ]);
});

test('no sets, or no host values, observe nothing', () => {
  assert.deepEqual(observe([]), []);
  assert.deepEqual(
    observeNamespacedKeys(
      new Map(),
      [set(ALL, ['net', 'ipc', 'uts'], [['net.core.somaxconn', '1']])],
      scopeOf,
      isVolatileKey,
    ),
    [],
  );
});

test('on the captured fixtures: nothing with the built-in table, the differing net key with a wrong one', () => {
  const host = new Map([...loadProcSysFixture()].map(([key, entry]) => [key, entry.value]));
  const readings = parseSysctlDump(loadNamespaceDumpFixture());
  const values = new Map(readings.map((r) => [r.key, r.value]));
  const builtinScope = (key: string): Scope => classifyKey(key).scope;
  const sets = [set(ALL, ['net', 'ipc', 'uts'], [...values])];
  assert.deepEqual(observeNamespacedKeys(host, sets, builtinScope, isVolatileKey), []);

  // The same capture against a table that wrongly calls three namespaced keys global. In the dump the netns has
  // ip_forward 1 (host 0): caught as net. The hostname differs (kl-fixture vs vm) but the set differs in ipc and
  // uts, so there is no single candidate and it stays. somaxconn is 4096 on both sides: nothing to see.
  const wrongly = new Set(['kernel.hostname', 'net.core.somaxconn', 'net.ipv4.ip_forward']);
  const wrong = (key: string): Scope => (wrongly.has(key) ? 'global' : builtinScope(key));
  assert.deepEqual(observeNamespacedKeys(host, sets, wrong, isVolatileKey), [
    { key: 'net.ipv4.ip_forward', scope: 'net', evidence: evidence(ALL, '0', '1') },
  ]);
});

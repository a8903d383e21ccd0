import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type CatalogEntry,
  composeEffectiveSettings,
  type EffectiveSetting,
  sameSysctlValue,
} from '../../../src/domain/namespaces/compose-effective-settings.js';
import type { NamespaceType } from '../../../src/domain/namespaces/namespace-types.js';
import { ABSENT_IN_CHILD_NET_KEYS } from '../../../src/domain/classification/builtin-classification.js';
import { classifyKey } from '../../../src/domain/classification/classify-key.js';
import { parseSysctlDump } from '../../../src/domain/sysctl/parse-sysctl-dump.js';
import { loadNamespaceDumpFixture } from '../../helpers/namespace-dump-fixture.js';
import { loadProcSysFixture } from '../../helpers/proc-fixture.js';

/** Classifications as the built-in table gives them for these keys on 6.18 (see classify-key.test.ts). */
const CATALOG = new Map<string, CatalogEntry>([
  ['fs.file-max', { scope: 'global', childVisibility: null, volatile: false }],
  ['kernel.hostname', { scope: 'uts', childVisibility: 'isolated', volatile: false }],
  ['kernel.pid_max', { scope: 'pid', childVisibility: 'isolated', volatile: false }],
  ['kernel.sem', { scope: 'ipc', childVisibility: 'isolated', volatile: false }],
  ['kernel.shmmax', { scope: 'ipc', childVisibility: 'isolated', volatile: false }],
  ['net.core.netdev_max_backlog', { scope: 'global', childVisibility: 'absent', volatile: false }],
  ['net.core.rmem_max', { scope: 'global', childVisibility: 'mirrored', volatile: false }],
  ['net.core.somaxconn', { scope: 'net', childVisibility: 'isolated', volatile: false }],
  ['net.ipv4.conf.eth0.rp_filter', { scope: 'net', childVisibility: 'isolated', volatile: false }],
  ['net.ipv4.conf.eth0/100.rp_filter', { scope: 'net', childVisibility: 'isolated', volatile: false }],
  ['net.ipv4.ip_local_port_range', { scope: 'net', childVisibility: 'isolated', volatile: false }],
  ['net.ipv4.tcp_mem', { scope: 'global', childVisibility: 'absent', volatile: false }],
  ['net.ipv6.conf.all.stable_secret', { scope: 'net', childVisibility: 'isolated', volatile: false }],
  ['net.netfilter.nf_conntrack_count', { scope: 'net', childVisibility: 'isolated', volatile: true }],
  ['net.netfilter.nf_conntrack_max', { scope: 'global', childVisibility: 'mirrored', volatile: false }],
  ['user.max_net_namespaces', { scope: 'user', childVisibility: 'isolated', volatile: false }],
]);

/** Host values from test/fixtures/proc-sys.tsv (stable_secret is unset: EIO, so null). */
const HOST = new Map<string, string | null>([
  ['fs.file-max', '2466160'],
  ['kernel.hostname', 'vm'],
  ['kernel.pid_max', '32768'],
  ['kernel.sem', '32000\t1024000000\t500\t32000'],
  ['kernel.shmmax', '18446744073692774399'],
  ['net.core.netdev_max_backlog', '1000'],
  ['net.core.rmem_max', '4194304'],
  ['net.core.somaxconn', '4096'],
  ['net.ipv4.conf.eth0.rp_filter', '0'],
  ['net.ipv4.ip_local_port_range', '32768\t60999'],
  ['net.ipv4.tcp_mem', '287898\t383865\t575796'],
  ['net.ipv6.conf.all.stable_secret', null],
  ['net.netfilter.nf_conntrack_count', '12'],
  ['net.netfilter.nf_conntrack_max', '262144'],
  ['user.max_net_namespaces', '96364'],
  ['vm.not_in_catalog', '1'],
]);

/** What the reader returns for a container with its own net/ipc/uts: only keys of those types (mirrored included). */
const CONTAINER = new Map<string, string | null>([
  ['kernel.hostname', 'web-1'],
  ['kernel.sem', '250\t32000\t100\t128'],
  ['kernel.shmmax', '18446744073692774399'],
  ['net.core.rmem_max', '4194304'],
  ['net.core.somaxconn', '1024'],
  ['net.ipv4.conf.eth0/100.rp_filter', '2'],
  ['net.ipv4.ip_local_port_range', '1024\t65000'],
  ['net.ipv6.conf.all.stable_secret', null],
  ['net.netfilter.nf_conntrack_count', '3'],
  ['net.netfilter.nf_conntrack_max', '262144'],
  ['net.not_in_catalog', '7'],
]);

function compose(
  own: ReadonlyMap<string, string | null>,
  types: readonly NamespaceType[],
): EffectiveSetting[] {
  return composeEffectiveSettings(CATALOG, HOST, own, types);
}

function setting(
  key: string,
  value: string | null,
  source: 'namespace' | 'host',
  visibleInside = true,
): EffectiveSetting {
  const entry = CATALOG.get(key);
  if (!entry) throw new Error(`${key} is not in the test catalog`);
  return { key, ...entry, value, source, visibleInside };
}

test('a set owning net, ipc and uts: own values for its types, host values for the rest, sorted by key', () => {
  assert.deepEqual(compose(CONTAINER, ['net', 'ipc', 'uts']), [
    setting('fs.file-max', '2466160', 'host'),
    setting('kernel.hostname', 'web-1', 'namespace'),
    setting('kernel.pid_max', '32768', 'host'),
    setting('kernel.sem', '250\t32000\t100\t128', 'namespace'),
    setting('kernel.shmmax', '18446744073692774399', 'namespace'),
    setting('net.core.netdev_max_backlog', '1000', 'host', false),
    setting('net.core.rmem_max', '4194304', 'host'),
    setting('net.core.somaxconn', '1024', 'namespace'),
    // net.ipv4.conf.eth0.rp_filter: the host's device, not in force in this netns
    setting('net.ipv4.conf.eth0/100.rp_filter', '2', 'namespace'),
    setting('net.ipv4.ip_local_port_range', '1024\t65000', 'namespace'),
    setting('net.ipv4.tcp_mem', '287898\t383865\t575796', 'host', false),
    setting('net.ipv6.conf.all.stable_secret', null, 'namespace'),
    setting('net.netfilter.nf_conntrack_count', '3', 'namespace'),
    setting('net.netfilter.nf_conntrack_max', '262144', 'host'),
    setting('user.max_net_namespaces', '96364', 'host'),
  ]);
});

test('a --network host set (own ipc and uts) gets the host net values, source host, all visible', () => {
  const own = new Map<string, string | null>([
    ['kernel.hostname', 'metrics'],
    ['kernel.sem', '32000\t1024000000\t500\t32000'],
    ['kernel.shmmax', '18446744073692774399'],
  ]);
  assert.deepEqual(compose(own, ['ipc', 'uts']), [
    setting('fs.file-max', '2466160', 'host'),
    setting('kernel.hostname', 'metrics', 'namespace'),
    setting('kernel.pid_max', '32768', 'host'),
    setting('kernel.sem', '32000\t1024000000\t500\t32000', 'namespace'),
    setting('kernel.shmmax', '18446744073692774399', 'namespace'),
    setting('net.core.netdev_max_backlog', '1000', 'host'),
    setting('net.core.rmem_max', '4194304', 'host'),
    setting('net.core.somaxconn', '4096', 'host'),
    setting('net.ipv4.conf.eth0.rp_filter', '0', 'host'),
    setting('net.ipv4.ip_local_port_range', '32768\t60999', 'host'),
    setting('net.ipv4.tcp_mem', '287898\t383865\t575796', 'host'),
    setting('net.ipv6.conf.all.stable_secret', null, 'host'),
    setting('net.netfilter.nf_conntrack_count', '12', 'host'),
    setting('net.netfilter.nf_conntrack_max', '262144', 'host'),
    setting('user.max_net_namespaces', '96364', 'host'),
  ]);
});

test('a set owning only a netns gets the host ipc and uts values', () => {
  const own = new Map<string, string | null>([['net.core.somaxconn', '128']]);
  const byKey = new Map(compose(own, ['net']).map((s) => [s.key, s]));
  assert.deepEqual(byKey.get('kernel.hostname'), setting('kernel.hostname', 'vm', 'host'));
  assert.deepEqual(byKey.get('kernel.sem'), setting('kernel.sem', '32000\t1024000000\t500\t32000', 'host'));
  assert.deepEqual(byKey.get('net.core.somaxconn'), setting('net.core.somaxconn', '128', 'namespace'));
  // Net keys the netns did not report (the host's eth0, and every other net key missing from `own`) are not in force.
  assert.equal(byKey.has('net.ipv4.conf.eth0.rp_filter'), false);
  assert.equal(byKey.has('net.ipv4.ip_local_port_range'), false);
  assert.deepEqual(
    byKey.get('net.core.netdev_max_backlog'),
    setting('net.core.netdev_max_backlog', '1000', 'host', false),
  );
});

test('the host set itself (no own types, no own values) is every catalogued host key, source host, visible', () => {
  const result = composeEffectiveSettings(CATALOG, HOST, new Map(), []);
  assert.equal(result.length, CATALOG.size - 1, 'all but eth0/100, which the host does not have');
  for (const s of result) {
    assert.equal(s.source, 'host', s.key);
    assert.equal(s.visibleInside, true, s.key);
    assert.equal(s.value, HOST.get(s.key), s.key);
  }
});

test('visibility of global keys inside a set', () => {
  const cases: readonly [
    label: string,
    key: string,
    own: [string, string][],
    types: NamespaceType[],
    visible: boolean,
  ][] = [
    [
      'mirrored, in a child netns',
      'net.netfilter.nf_conntrack_max',
      [['net.netfilter.nf_conntrack_max', '262144']],
      ['net'],
      true,
    ],
    ['absent, in a child netns', 'net.ipv4.tcp_mem', [], ['net'], false],
    ['absent, sharing the host netns', 'net.ipv4.tcp_mem', [], ['ipc', 'uts'], true],
    [
      'absent, but reported by the set anyway',
      'net.ipv4.tcp_mem',
      [['net.ipv4.tcp_mem', '1\t2\t3']],
      ['net'],
      true,
    ],
    ['global with no child visibility, own netns', 'fs.file-max', [], ['net', 'ipc', 'uts'], true],
    ['user-scoped, own netns', 'user.max_net_namespaces', [], ['net'], true],
  ];
  for (const [label, key, own, types, visible] of cases) {
    const found = compose(new Map(own), types).find((s) => s.key === key);
    assert.equal(found?.source, 'host', label);
    assert.equal(found?.value, HOST.get(key), `${label}: the host's value is in force`);
    assert.equal(found?.visibleInside, visible, label);
  }
});

test('a global key only the set reported falls back to its value, still source host', () => {
  const catalog = new Map<string, CatalogEntry>([
    ['net.core.rmem_max', { scope: 'global', childVisibility: 'mirrored', volatile: false }],
  ]);
  assert.deepEqual(
    composeEffectiveSettings(catalog, new Map(), new Map([['net.core.rmem_max', '212992']]), ['net']),
    [
      {
        key: 'net.core.rmem_max',
        scope: 'global',
        childVisibility: 'mirrored',
        volatile: false,
        value: '212992',
        source: 'host',
        visibleInside: true,
      },
    ],
  );
});

test('keys missing from the catalog are left out, and empty inputs compose to nothing', () => {
  const keys = compose(CONTAINER, ['net', 'ipc', 'uts']).map((s) => s.key);
  assert.equal(keys.includes('vm.not_in_catalog'), false);
  assert.equal(keys.includes('net.not_in_catalog'), false);
  assert.deepEqual(composeEffectiveSettings(new Map(), HOST, CONTAINER, ['net']), []);
  assert.deepEqual(composeEffectiveSettings(CATALOG, new Map(), new Map(), ['net', 'ipc', 'uts']), []);
});

test('on the captured fixtures: the namespace dump (own net, ipc, uts) composed over the host capture', () => {
  const host = new Map([...loadProcSysFixture()].map(([key, entry]) => [key, entry.value]));
  const readings = parseSysctlDump(loadNamespaceDumpFixture());
  const own = new Map(readings.filter((r) => r.access !== 'write-only').map((r) => [r.key, r.value]));
  const catalog = new Map<string, CatalogEntry>();
  for (const key of new Set([...host.keys(), ...own.keys()])) {
    const { scope, childVisibility, volatile } = classifyKey(key);
    catalog.set(key, { scope, childVisibility, volatile });
  }
  const result = composeEffectiveSettings(catalog, host, own, ['net', 'ipc', 'uts']);
  const byKey = new Map(result.map((s) => [s.key, s]));

  const tally: Record<string, number> = {};
  for (const s of result)
    tally[`${s.source}/${s.visibleInside}`] = (tally[`${s.source}/${s.visibleInside}`] ?? 0) + 1;
  assert.deepEqual(tally, { 'host/true': 243, 'namespace/true': 727, 'host/false': 104 });
  assert.equal(result.length, 1074);
  assert.deepEqual(
    result.map((s) => s.key),
    [...byKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    'sorted by key, each key once',
  );

  // The 104 keys a child netns cannot see are exactly the built-in absent ones, all bound by the host's value.
  const invisible = result.filter((s) => !s.visibleInside);
  assert.deepEqual(new Set(invisible.map((s) => s.key)), new Set(ABSENT_IN_CHILD_NET_KEYS));
  for (const s of invisible) assert.equal(s.value, host.get(s.key), s.key);

  // None of the host's 390 per-device keys (eth0, ifb0, ifb1) is in force; the netns's own ifb0.5 device is.
  assert.deepEqual(
    result.filter((s) => /^net\.ipv[46]\.(conf|neigh)\.(eth0|ifb0|ifb1)\./.test(s.key)),
    [],
  );
  assert.equal(
    result.filter((s) => s.key.includes('.ifb0/5.')).every((s) => s.source === 'namespace'),
    true,
  );
  assert.deepEqual(byKey.get('net.ipv4.conf.ifb0/5.rp_filter'), {
    key: 'net.ipv4.conf.ifb0/5.rp_filter',
    scope: 'net',
    childVisibility: 'isolated',
    volatile: false,
    value: '0',
    source: 'namespace',
    visibleInside: true,
  });

  const picks: readonly [
    key: string,
    value: string | null,
    source: 'namespace' | 'host',
    visible: boolean,
  ][] = [
    ['kernel.hostname', 'kl-fixture', 'namespace', true],
    ['kernel.domainname', '', 'namespace', true],
    ['net.ipv6.conf.all.stable_secret', null, 'namespace', true],
    ['net.netfilter.nf_conntrack_max', '262144', 'host', true],
    ['net.core.netdev_max_backlog', '1000', 'host', false],
    [
      'net.ipv4.neigh.default.gc_thresh3',
      host.get('net.ipv4.neigh.default.gc_thresh3') ?? 'missing',
      'host',
      false,
    ],
    ['fs.file-max', '2466160', 'host', true],
    ['kernel.core_modes', 'file\npipe\nsocket', 'host', true],
  ];
  for (const [key, value, source, visible] of picks) {
    const s = byKey.get(key);
    assert.deepEqual([s?.value, s?.source, s?.visibleInside], [value, source, visible], key);
  }
});

test('sameSysctlValue folds whitespace and compares null/undefined strictly', () => {
  const cases: readonly [a: string | null | undefined, b: string | null | undefined, same: boolean][] = [
    ['32768\t60999', '32768 60999', true],
    ['32768   60999', '32768\t60999', true],
    ['  1024\n', '1024', true],
    ['file\npipe\nsocket', 'file pipe socket', true],
    ['4096', '4096', true],
    ['', '   ', true],
    ['', '', true],
    ['1024', '1025', false],
    ['1 2', '12', false],
    ['cubic', 'Cubic', false],
    ['0', '', false],
    [null, null, true],
    [undefined, undefined, true],
    [null, undefined, false],
    [undefined, null, false],
    ['0', null, false],
    [null, '0', false],
    ['', undefined, false],
    [undefined, '', false],
  ];
  for (const [a, b, same] of cases) {
    assert.equal(sameSysctlValue(a, b), same, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
});

test("a pid-scoped key the set read in its own pid namespace is the set's, not the host's", () => {
  const catalog = new Map([
    ['kernel.pid_max', { scope: 'pid' as const, childVisibility: 'isolated' as const, volatile: false }],
  ]);
  const host = new Map([['kernel.pid_max', '32768']]);
  const [own] = composeEffectiveSettings(catalog, host, new Map([['kernel.pid_max', '4194304']]), [
    'net',
    'ipc',
    'uts',
  ]);
  assert.deepEqual([own?.value, own?.source], ['4194304', 'namespace']);
  const [shared] = composeEffectiveSettings(catalog, host, new Map(), ['net']);
  assert.deepEqual([shared?.value, shared?.source], ['32768', 'host'], 'a set in the host pid namespace');
});

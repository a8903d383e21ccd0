import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { classifyKey } from '../../../src/domain/classification/classify-key.js';
import {
  childCounterpartKey,
  type KeyProbeInput,
  type ProbeListing,
  probeInputFor,
  reconcileClassification,
  summarizeProbe,
} from '../../../src/domain/classification/reconcile-classification.js';
import type { ChildVisibility, KeyClassification, Scope } from '../../../src/domain/sysctl/sysctl-types.js';
import { parseModeListing } from '../../../src/os/kernel-probe.js';
import { repoPath } from '../../helpers/repo-path.js';

const RELEASE = '6.18.44-fc-v782';

function loadListing(name: string): Map<string, number> {
  return parseModeListing(readFileSync(repoPath('test', 'fixtures', 'kernel-probe', name), 'utf8'), '\n');
}

const fixture: ProbeListing = {
  kernelRelease: RELEASE,
  hostModes: loadListing('host-modes.txt'),
  childModes: loadListing('child-modes.txt'),
};

interface Case {
  readonly name: string;
  readonly key: string;
  readonly builtin?: KeyClassification;
  readonly probe: KeyProbeInput | null;
  readonly scope: Scope;
  readonly childVisibility: ChildVisibility | null;
  readonly source: KeyClassification['source'];
  readonly evidence: Record<string, unknown>;
  readonly disagreement?: RegExp;
}

const probe = (hostMode: number | undefined, childMode: number | undefined): KeyProbeInput => ({
  kernelRelease: RELEASE,
  hostMode,
  childMode,
});

const CASES: readonly Case[] = [
  {
    name: 'mirrored: read-only in the child, writable on the host',
    key: 'net.netfilter.nf_conntrack_max',
    probe: probe(0o644, 0o444),
    scope: 'global',
    childVisibility: 'mirrored',
    source: 'probe',
    evidence: {
      method: 'unshare-probe',
      observation: 'read-only-in-child',
      hostMode: '0644',
      childMode: '0444',
    },
  },
  {
    name: 'absent: not listed in the child',
    key: 'net.core.netdev_max_backlog',
    probe: probe(0o644, undefined),
    scope: 'global',
    childVisibility: 'absent',
    source: 'probe',
    evidence: { method: 'unshare-probe', observation: 'absent-in-child', hostMode: '0644', childMode: null },
  },
  {
    name: 'isolated: writable in the child',
    key: 'net.core.somaxconn',
    probe: probe(0o644, 0o644),
    scope: 'net',
    childVisibility: 'isolated',
    source: 'probe',
    evidence: { method: 'unshare-probe', observation: 'writable-in-child', kernelRelease: RELEASE },
  },
  {
    name: 'isolated: write-only in both (route.flush)',
    key: 'net.ipv4.route.flush',
    probe: probe(0o200, 0o200),
    scope: 'net',
    childVisibility: 'isolated',
    source: 'probe',
    evidence: { observation: 'writable-in-child', hostMode: '0200', childMode: '0200' },
  },
  {
    name: 'isolated: read-only in both (per-netns counter)',
    key: 'net.netfilter.nf_conntrack_count',
    probe: probe(0o444, 0o444),
    scope: 'net',
    childVisibility: 'isolated',
    source: 'probe',
    evidence: { observation: 'read-only-in-both', hostMode: '0444', childMode: '0444' },
  },
  {
    name: 'isolated: read-only in both (global list)',
    key: 'net.ipv4.tcp_available_congestion_control',
    probe: probe(0o444, 0o444),
    scope: 'net',
    childVisibility: 'isolated',
    source: 'probe',
    evidence: { observation: 'read-only-in-both' },
  },
  {
    name: 'per-interface: host device key judged by lo in the child',
    key: 'net.ipv4.conf.eth0.forwarding',
    probe: probeInputFor('net.ipv4.conf.eth0.forwarding', fixture),
    scope: 'net',
    childVisibility: 'isolated',
    source: 'probe',
    evidence: {
      observation: 'writable-in-child',
      childKey: 'net.ipv4.conf.lo.forwarding',
      childMode: '0644',
    },
  },
  {
    name: 'per-interface: no lo counterpart in the child → table, never absent',
    key: 'net.mpls.conf.eth0.input',
    probe: { ...probe(0o644, undefined), childKey: 'net.mpls.conf.lo.input' },
    scope: 'net',
    childVisibility: 'isolated',
    source: 'builtin',
    evidence: {
      method: 'builtin-table',
      observation: 'no-child-counterpart',
      childKey: 'net.mpls.conf.lo.input',
    },
  },
  {
    name: 'disagreement: table says isolated, kernel says absent → absent',
    key: 'net.core.somaxconn',
    probe: probe(0o644, undefined),
    scope: 'global',
    childVisibility: 'absent',
    source: 'probe',
    evidence: { method: 'unshare-probe', builtin: { scope: 'net', childVisibility: 'isolated' } },
    disagreement:
      /table says net\/isolated; on kernel 6\.18\.44-fc-v782 the key is not listed in a fresh child netns.*global\/absent/,
  },
  {
    name: 'disagreement: mirrored in the table, writable on a newer kernel → isolated',
    key: 'net.core.rmem_max',
    probe: probe(0o644, 0o644),
    scope: 'net',
    childVisibility: 'isolated',
    source: 'probe',
    evidence: { builtin: { scope: 'global', childVisibility: 'mirrored' } },
    disagreement: /table says global\/mirrored; .*writable in a fresh child netns.*net\/isolated/,
  },
  {
    name: 'probe null → built-in table',
    key: 'net.netfilter.nf_conntrack_max',
    probe: null,
    scope: 'global',
    childVisibility: 'mirrored',
    source: 'builtin',
    evidence: { method: 'builtin-table', observation: 'not-probed', kernelRelease: null, hostMode: null },
  },
  {
    name: 'IPC key: visibility does not change in a child, scope from the table',
    key: 'kernel.shmmax',
    probe: probe(0o644, 0o644),
    scope: 'ipc',
    childVisibility: 'isolated',
    source: 'builtin',
    evidence: { method: 'builtin-table', observation: 'not-net', kernelRelease: RELEASE, childMode: '0644' },
  },
  {
    name: 'global kernel key stays global with no visibility',
    key: 'fs.file-max',
    probe: probe(0o644, 0o644),
    scope: 'global',
    childVisibility: null,
    source: 'builtin',
    evidence: { method: 'builtin-table', observation: 'not-net' },
  },
  {
    name: 'net key not on the host (module loaded later) → table',
    key: 'net.sctp.rto_min',
    probe: probe(undefined, undefined),
    scope: 'net',
    childVisibility: 'isolated',
    source: 'builtin',
    evidence: { method: 'builtin-table', observation: 'not-on-host' },
  },
];

for (const c of CASES) {
  test(`reconcileClassification: ${c.name}`, () => {
    const builtin = c.builtin ?? classifyKey(c.key);
    const { classification, evidence } = reconcileClassification(c.key, builtin, c.probe);
    assert.equal(classification.scope, c.scope);
    assert.equal(classification.childVisibility, c.childVisibility);
    assert.equal(classification.source, c.source);
    assert.equal(classification.volatile, builtin.volatile);
    for (const [field, expected] of Object.entries(c.evidence)) {
      assert.deepEqual(evidence[field as keyof typeof evidence], expected, field);
    }
    if (c.disagreement === undefined) assert.equal(evidence.disagreement, undefined);
    else assert.match(evidence.disagreement ?? '', c.disagreement);
    assert.deepEqual(JSON.parse(JSON.stringify(evidence)), evidence, 'evidence is JSON-serialisable');
  });
}

test('childCounterpartKey normalises only real devices', () => {
  assert.equal(childCounterpartKey('net.ipv6.conf.docker0.mtu'), 'net.ipv6.conf.lo.mtu');
  assert.equal(childCounterpartKey('net.ipv4.neigh.eth0/100.app_solicit'), 'net.ipv4.neigh.lo.app_solicit');
  assert.equal(childCounterpartKey('net.ipv4.conf.all.forwarding'), 'net.ipv4.conf.all.forwarding');
  assert.equal(childCounterpartKey('net.ipv4.neigh.default.gc_thresh3'), 'net.ipv4.neigh.default.gc_thresh3');
  assert.equal(childCounterpartKey('net.core.somaxconn'), 'net.core.somaxconn');
});

const MIRRORED_ON_THIS_KERNEL = [
  'net.core.rmem_default',
  'net.core.rmem_max',
  'net.core.wmem_default',
  'net.core.wmem_max',
  'net.ipv4.tcp_allowed_congestion_control',
  'net.netfilter.nf_conntrack_buckets',
  'net.netfilter.nf_conntrack_expect_max',
  'net.netfilter.nf_conntrack_max',
];

test('all keys of the captured probe: counts measured on 6.18.44-fc-v782', () => {
  const results = [...fixture.hostModes.keys()].map((key) => ({
    key,
    ...reconcileClassification(key, classifyKey(key), probeInputFor(key, fixture)),
  }));
  const summary = summarizeProbe(results);
  assert.deepEqual(summary, {
    kernelRelease: RELEASE,
    keys: 1466,
    decidedByProbe: 1208, // every net.* key: 688 normalised + 520 per-device keys of eth0, docker0, ifb0, ifb1
    isolated: 1134, // 564 writable + 12 read-only in both + 520 per-device + 38 ipc/uts/user/pid keys (table)
    mirrored: 8,
    absent: 104,
    undetermined: 220, // global kernel/vm/fs/… keys
    disagreements: 0,
    disagreementKeys: [],
  });
  const mirrored = results.filter((r) => r.classification.childVisibility === 'mirrored').map((r) => r.key);
  assert.deepEqual(mirrored.sort(), MIRRORED_ON_THIS_KERNEL);
  const perDevice = results.filter((r) => r.evidence.childKey !== undefined);
  assert.equal(perDevice.length, 520);
  assert.ok(perDevice.every((r) => r.classification.childVisibility === 'isolated'));
  const readOnlyBoth = results.filter((r) => r.evidence.observation === 'read-only-in-both');
  assert.equal(readOnlyBoth.length, 12 + 8); // + mc_forwarding of the 4 devices (v4 and v6)
});

test('a pre-6.11 kernel (rmem/wmem absent in a child) shows up as 4 disagreements', () => {
  const older = new Map(fixture.childModes);
  for (const name of ['rmem_default', 'rmem_max', 'wmem_default', 'wmem_max'])
    older.delete(`net.core.${name}`);
  const listing: ProbeListing = { ...fixture, kernelRelease: '6.6.0', childModes: older };
  const summary = summarizeProbe(
    [...listing.hostModes.keys()].map((key) => ({
      key,
      ...reconcileClassification(key, classifyKey(key), probeInputFor(key, listing)),
    })),
  );
  assert.equal(summary.mirrored, 4);
  assert.equal(summary.absent, 108);
  assert.deepEqual(summary.disagreementKeys, [
    'net.core.rmem_default',
    'net.core.rmem_max',
    'net.core.wmem_default',
    'net.core.wmem_max',
  ]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Evidence, KeyFacts } from '../../../src/domain/correlation/evidence-types.js';
import { rankSuspects, rankTopSuspects } from '../../../src/domain/correlation/rank-suspects.js';

const T0 = Date.UTC(2026, 10, 29, 14, 0, 0);
const facts = new Map<string, KeyFacts>([
  ['net.netfilter.nf_conntrack_max', { scope: 'global', childVisibility: 'mirrored' }],
  ['net.core.somaxconn', { scope: 'net', childVisibility: 'isolated' }],
  ['fs.file-max', { scope: 'global', childVisibility: null }],
  ['net.core.netdev_max_backlog', { scope: 'global', childVisibility: 'absent' }],
]);
const NETNS = 'net:4026532253/ipc:1/uts:2';

const seed: Evidence[] = [
  {
    kind: 'changed',
    key: 'net.netfilter.nf_conntrack_max',
    namespace: 'host',
    owners: [],
    before: '262144',
    after: '65536',
    at: T0 + 70_000,
  },
  {
    kind: 'saturated',
    key: 'net.netfilter.nf_conntrack_max',
    metric: 'conntrack.entries',
    namespace: NETNS,
    owners: ['api-7'],
    usage: 65536,
    limit: 65536,
    ratio: 1,
    at: T0 + 150_000,
  },
  {
    kind: 'kernel-event',
    key: 'net.netfilter.nf_conntrack_max',
    signature: 'conntrack-table-full',
    namespace: NETNS,
    owners: ['api-7'],
    count: 1214,
    firstAt: T0 + 151_000,
    lastAt: T0 + 310_000,
    sampleLine: 'nf_conntrack: nf_conntrack: table full in netns 4026532253, dropping packet',
  },
  {
    kind: 'changed',
    key: 'net.core.somaxconn',
    namespace: NETNS,
    owners: ['api-7'],
    before: '4096',
    after: '128',
    at: T0 + 10_000,
  },
];

test('the seed scenario ranks nf_conntrack_max first with all three kinds of evidence and a pasteable sentence', () => {
  const suspects = rankSuspects(seed, facts, { namespace: NETNS, containerScoped: true, startedAt: T0 });
  assert.deepEqual(
    suspects.map((s) => s.key),
    ['net.netfilter.nf_conntrack_max', 'net.core.somaxconn'],
  );
  const top = suspects[0];
  assert.deepEqual(top?.kinds, ['kernel-event', 'saturated', 'changed']);
  // (50 + 10·log10(1215) + 10) + (45 + 5) + (10 + 5: lowered after the start), × 1.25 for a global key in a
  // container-scoped incident
  assert.equal(top?.score, Math.round((60 + 10 * Math.log10(1215) + 50 + 15) * 1.25 * 10) / 10);
  assert.equal(
    top?.explanation,
    'net.netfilter.nf_conntrack_max is a host-wide limit (read-only inside containers); each netns counts its ' +
      'own entries against this one host-wide max, so no netns ate another\u2019s budget, and lowering it capped ' +
      'every netns at once. It changed from 262144 to 65536 on the host at 14:01:10; ' +
      'netns of api-7 held 65 536 of 65 536 conntrack entries (100%) at 14:02:30; ' +
      "the kernel logged 'nf_conntrack: nf_conntrack: table full in netns 4026532253, dropping packet' 1 214 times between 14:02:31 and 14:05:10 for netns of api-7.",
  );
  assert.equal(
    suspects[1]?.score,
    15,
    'a namespaced limit lowered after the start: 10 + 5, no container factor',
  );
});

test('with equal evidence, a global key outranks a namespaced one only for a container-scoped incident', () => {
  const equal: Evidence[] = [
    { kind: 'changed', key: 'fs.file-max', namespace: 'host', owners: [], before: '10', after: '20', at: T0 },
    {
      kind: 'changed',
      key: 'net.core.somaxconn',
      namespace: NETNS,
      owners: [],
      before: '10',
      after: '20',
      at: T0,
    },
  ];
  const scoped = rankSuspects(equal, facts, { namespace: NETNS, containerScoped: true, startedAt: T0 });
  assert.deepEqual(
    scoped.map((s) => [s.key, s.score]),
    [
      ['fs.file-max', 31.3],
      ['net.core.somaxconn', 25],
    ],
  );
  const hostWide = rankSuspects(equal, facts, { namespace: null, containerScoped: false, startedAt: T0 });
  assert.deepEqual(
    hostWide.map((s) => [s.key, s.score]),
    [
      ['fs.file-max', 25],
      ['net.core.somaxconn', 25],
    ],
    'ties break by key name, deterministically',
  );
});

test('saturation below 80% is no evidence; no evidence gives no suspects', () => {
  const low: Evidence[] = [
    {
      kind: 'saturated',
      key: 'fs.file-max',
      metric: 'files.allocated',
      namespace: 'host',
      owners: [],
      usage: 10,
      limit: 100,
      ratio: 0.1,
      at: T0,
    },
  ];
  assert.deepEqual(rankSuspects(low, facts, { namespace: null, containerScoped: false, startedAt: T0 }), []);
  assert.deepEqual(rankSuspects([], facts, { namespace: null, containerScoped: false, startedAt: T0 }), []);
});

test('baseline drift and declared mismatches explain themselves; unknown keys rank as global', () => {
  const suspects = rankSuspects(
    [
      {
        kind: 'baseline-drift',
        key: 'net.core.netdev_max_backlog',
        baseline: 'dev',
        here: '1000',
        there: '5000',
      },
      {
        kind: 'declared-mismatch',
        key: 'net.core.somaxconn',
        container: 'api-7',
        declared: '1024',
        effective: '4096',
      },
      { kind: 'baseline-drift', key: 'vm.unknown_knob', baseline: 'dev', here: '1', there: '2' },
    ],
    facts,
    { namespace: null, containerScoped: false, startedAt: T0 },
  );
  assert.deepEqual(
    suspects.map((s) => [s.key, s.score, s.explanation]),
    [
      [
        'net.core.somaxconn',
        15,
        "net.core.somaxconn is set per net namespace; a listener's accept queue is min(listen() backlog, somaxconn). Container api-7 declared 1024 but 4096 is in force.",
      ],
      [
        'net.core.netdev_max_backlog',
        12,
        "net.core.netdev_max_backlog is a host-wide setting (not even visible inside containers). It is 1000 here but 5000 on baseline 'dev'.",
      ],
      [
        'vm.unknown_knob',
        6,
        "vm.unknown_knob is a host-wide setting shared by every container. It is 1 here but 2 on baseline 'dev'.",
      ],
    ],
  );
});

test('the top N are the first N of the whole ranking, with the total', () => {
  const context = { namespace: NETNS, containerScoped: true, startedAt: T0 };
  const all = rankSuspects(seed, facts, context);
  assert.ok(all.length >= 2, `only ${all.length} suspects in the seed`);
  for (const top of [0, 1, all.length, all.length + 5]) {
    const { suspects, total } = rankTopSuspects(seed, facts, context, top);
    assert.equal(total, all.length);
    assert.deepEqual(suspects, all.slice(0, top));
  }
});

test("aliases are one suspect, another set's namespaced evidence is dropped, a global limit's names co-consumers", () => {
  const other = 'net:9/ipc:9/uts:9';
  const evidence: Evidence[] = [
    ...seed,
    { ...seed[0], key: 'net.nf_conntrack_max' } as Evidence,
    {
      kind: 'saturated',
      key: 'net.netfilter.nf_conntrack_max',
      metric: 'conntrack.entries',
      namespace: other,
      owners: ['batch-2'],
      usage: 60000,
      limit: 65536,
      ratio: 0.92,
      at: T0 + 150_000,
    },
    {
      kind: 'overflowed',
      key: 'net.core.somaxconn',
      metric: 'tcp.listen_overflows.total',
      namespace: other,
      owners: ['batch-2'],
      increase: 500,
      perSecond: 50,
      limit: 4,
      from: T0,
      at: T0 + 10_000,
    },
  ];
  const suspects = rankSuspects(evidence, facts, { namespace: NETNS, containerScoped: true, startedAt: T0 });
  assert.deepEqual(
    suspects.map((s) => s.key),
    ['net.netfilter.nf_conntrack_max', 'net.core.somaxconn'],
    'net.nf_conntrack_max is the same variable',
  );
  const top = suspects[0];
  assert.equal(
    top?.evidence.filter((e) => e.kind === 'changed').length,
    1,
    "the alias's change is the same change",
  );
  assert.match(top?.explanation ?? '', /also running into it: netns of batch-2 \(60 000 of 65 536\)/);
  const alone = rankSuspects(seed, facts, { namespace: NETNS, containerScoped: true, startedAt: T0 });
  assert.equal(
    top?.score,
    Math.round(((alone[0]?.score ?? 0) / 1.25 + 3) * 1.25 * 10) / 10,
    'a co-consumer adds 3',
  );
  assert.ok(
    suspects[1]?.evidence.every((e) => !('namespace' in e) || e.namespace !== other),
    "batch-2's own somaxconn overflows are not blamed on api-7",
  );
});

test('values in force and the effective accept queue appear in the first sentence', () => {
  const own: Evidence[] = [
    {
      kind: 'own-value',
      key: 'net.core.somaxconn',
      namespace: NETNS,
      owners: ['api-7'],
      value: '4',
      host: '4096',
      fresh: '4096',
      since: T0 - 60_000,
      atCreation: true,
    },
  ];
  const [suspect] = rankSuspects(own, facts, { namespace: NETNS, containerScoped: true, startedAt: T0 });
  assert.equal(
    suspect?.explanation,
    "net.core.somaxconn is set per net namespace; a listener's accept queue is min(listen() backlog, somaxconn), so at most 4. " +
      'Netns of api-7 runs it at 4 since it was created (the host has 4096, a fresh namespace gets 4096).',
  );
  const values = new Map([['fs.file-max', { here: '100', host: '100' }]]);
  const [file] = rankSuspects(
    [{ kind: 'baseline-drift', key: 'fs.file-max', baseline: 'staging', here: '100', there: '9000' }],
    facts,
    { namespace: NETNS, containerScoped: true, startedAt: T0 },
    values,
  );
  assert.match(
    file?.explanation ?? '',
    /^fs\.file-max is a host-wide setting shared by every container, 100 on the host\. /,
  );
});

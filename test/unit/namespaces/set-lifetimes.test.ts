import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  inodeIdentityOf,
  lifetimeIdentity,
  matchSetLifetimes,
} from '../../../src/domain/namespaces/match-set-lifetimes.js';
import type {
  DiscoveredOwner,
  NamespaceInodes,
  NamespaceSet,
} from '../../../src/domain/namespaces/namespace-types.js';
import {
  parseMountIds,
  parseProcessStartTicks,
} from '../../../src/domain/namespaces/parse-owner-evidence.js';
import { provesContinuity, setEvidence } from '../../../src/domain/namespaces/set-evidence.js';

const HOST: NamespaceInodes = { net: 4026531833, ipc: 4026531839, uts: 4026531838 };
const REUSED: NamespaceInodes = { net: 4026532181, ipc: 4026532179, uts: 4026532178 };
const IDENTITY = 'net:4026532181/ipc:4026532179/uts:4026532178';

function container(id: string, pid: number, startedAt?: number): DiscoveredOwner {
  return {
    owner: {
      kind: 'container',
      id,
      name: `c-${id}`,
      image: 'busybox',
      labels: {},
      pid,
      networkMode: 'bridge',
      declaredSysctls: {},
    },
    inodes: REUSED,
    entry: {},
    evidence: `container:${id}`,
    ...(startedAt === undefined ? {} : { startedAt }),
  };
}

function processIn(pid: number, start: number): DiscoveredOwner {
  return {
    owner: { kind: 'process', pid, command: 'sleep' },
    inodes: REUSED,
    entry: {},
    evidence: `process:boot:${pid}:${start}`,
  };
}

function setOf(owners: readonly DiscoveredOwner[]): NamespaceSet {
  return {
    identity: IDENTITY,
    kind: 'container',
    inodes: REUSED,
    differingTypes: ['net', 'ipc', 'uts'],
    entry: {},
    pid: 100,
    owners: owners.filter((o) => o.owner.kind !== 'process').map((o) => o.owner),
  };
}

test('/proc/PID/stat: field 22 is the start time, counted after the command however odd it is', () => {
  const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
  assert.equal(parseProcessStartTicks(`42 (a) b) (c) ${fields.join(' ')}`), 22);
  assert.equal(parseProcessStartTicks('42 (truncated) S 1'), null);
  assert.equal(parseProcessStartTicks(''), null);
});

test('mountinfo: mount ids by mount point, octal escapes decoded, the last mount of a point wins', () => {
  const ids = parseMountIds(
    [
      '47 72 0:4 net:[4026532239] /run/netns/blue rw shared:3 - nsfs nsfs rw',
      '48 72 0:4 net:[4026532240] /run/netns/with\\040space rw - nsfs nsfs rw',
      '51 72 0:4 net:[4026532300] /run/netns/blue rw - nsfs nsfs rw',
      'garbage',
    ].join('\n'),
  );
  assert.equal(ids.get('/run/netns/blue'), 51);
  assert.equal(ids.get('/run/netns/with space'), 48);
});

test('evidence: containers and netns always, the lowest eight pids, grouped by inode identity', () => {
  const owners = [container('b', 10), ...Array.from({ length: 10 }, (_, i) => processIn(100 + i, 7))];
  const evidence = setEvidence(HOST, owners).get(IDENTITY) ?? [];
  assert.ok(evidence.includes('container:b'));
  assert.equal(evidence.filter((e) => e.startsWith('process:')).length, 8);
  assert.ok(!evidence.includes('process:boot:109:7'), 'pid 109 is beyond the lowest eight');
});

test('continuity needs one owner in common; nothing recorded proves nothing against it', () => {
  assert.equal(provesContinuity(['container:a', 'process:boot:5:9'], ['container:a']), true);
  assert.equal(provesContinuity(['container:a'], ['container:b']), false);
  assert.equal(provesContinuity(['process:boot:5:9'], ['process:boot:5:10']), false, 'pid reused');
  assert.equal(provesContinuity(null, ['container:b']), true, 'a set stored before evidence');
  assert.equal(provesContinuity([], ['container:b']), true);
});

test('lifetime identities: the first keeps the inode identity, later ones are numbered', () => {
  assert.equal(lifetimeIdentity(IDENTITY, 1), IDENTITY);
  assert.equal(lifetimeIdentity(IDENTITY, 3), `${IDENTITY}~3`);
  assert.equal(inodeIdentityOf(`${IDENTITY}~3`), IDENTITY);
  assert.equal(inodeIdentityOf(IDENTITY), IDENTITY);
});

test('a reuse starts a new lifetime when its container started, after the old set was last seen', () => {
  const now = 10_000;
  const owners = [container('new', 10, 9_500), processIn(10, 77)];
  const living = [{ identity: `${IDENTITY}~2`, evidence: ['container:old'], lastSeenAt: 9_000 }];
  const [matched] = matchSetLifetimes([setOf(owners)], setEvidence(HOST, owners), owners, living, now);
  assert.equal(matched?.continues, null);
  assert.equal(matched?.replaces?.identity, `${IDENTITY}~2`);
  assert.equal(matched?.startedAt, 9_500);

  const early = [container('new', 10, 8_000)];
  const [clamped] = matchSetLifetimes([setOf(early)], setEvidence(HOST, early), early, living, now);
  assert.equal(clamped?.startedAt, now, 'a start before the old set was last seen is not believed');
});

test('the same container, or a process that stayed, continues the living set', () => {
  const owners = [container('same', 10), processIn(10, 77)];
  const living = [{ identity: IDENTITY, evidence: ['container:same'], lastSeenAt: 1 }];
  const [matched] = matchSetLifetimes([setOf(owners)], setEvidence(HOST, owners), owners, living, 2);
  assert.equal(matched?.continues, IDENTITY);
  assert.equal(matched?.replaces, null);

  const shell = [processIn(10, 77)];
  const byProcess = [
    { identity: IDENTITY, evidence: ['container:gone', 'process:boot:10:77'], lastSeenAt: 1 },
  ];
  const [stayed] = matchSetLifetimes([setOf(shell)], setEvidence(HOST, shell), shell, byProcess, 2);
  assert.equal(stayed?.continues, IDENTITY);
});

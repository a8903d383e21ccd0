import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupNamespaceSets } from '../../../src/domain/namespaces/group-namespace-sets.js';
import {
  type ContainerOwner,
  type DiscoveredOwner,
  type NamespaceInodes,
  type NamespaceSet,
  namespaceIdentity,
} from '../../../src/domain/namespaces/namespace-types.js';

/** The initial namespaces of the VM the fixtures come from (`readlink /proc/self/ns/{net,ipc,uts}`). */
const HOST: NamespaceInodes = { net: 4026531833, ipc: 4026531839, uts: 4026531838 };
const HOST_PID = 1;

function inodes(net: number | null, ipc: number | null, uts: number | null): NamespaceInodes {
  return { net, ipc, uts };
}

/** What discovery gives a process-backed owner: the three /proc/PID/ns files. */
function processEntry(pid: number): DiscoveredOwner['entry'] {
  return { net: `/proc/${pid}/ns/net`, ipc: `/proc/${pid}/ns/ipc`, uts: `/proc/${pid}/ns/uts` };
}

function containerOwner(name: string, pid: number, networkMode = 'bridge'): ContainerOwner {
  return {
    kind: 'container',
    id: `${name}-0123456789abcdef`,
    name,
    image: 'nginx:1.27',
    labels: { app: name },
    pid,
    networkMode,
    declaredSysctls: {},
  };
}

function container(name: string, pid: number, ns: NamespaceInodes, networkMode = 'bridge'): DiscoveredOwner {
  return { owner: containerOwner(name, pid, networkMode), inodes: ns, entry: processEntry(pid) };
}

/** A named netns as discovery sees it: its own net inode, the host's ipc/uts, entered by its bind mount. */
function netns(name: string, netInode: number): DiscoveredOwner {
  const path = `/run/netns/${name}`;
  return {
    owner: { kind: 'netns', name, path },
    inodes: { net: netInode, ipc: HOST.ipc, uts: HOST.uts },
    entry: { net: path },
  };
}

function processIn(pid: number, ns: NamespaceInodes, command = 'sleep'): DiscoveredOwner {
  return { owner: { kind: 'process', pid, command }, inodes: ns, entry: processEntry(pid) };
}

const HOST_SET: NamespaceSet = {
  identity: 'host',
  kind: 'host',
  inodes: HOST,
  differingTypes: [],
  entry: {},
  pid: HOST_PID,
  owners: [],
};

test('namespaceIdentity is `host` only when all three inodes equal the host ones', () => {
  const cases: readonly [label: string, ns: NamespaceInodes, expected: string][] = [
    ['the host itself', HOST, 'host'],
    ['a copy of the host inodes', inodes(4026531833, 4026531839, 4026531838), 'host'],
    [
      'own net only',
      inodes(4026532290, 4026531839, 4026531838),
      'net:4026532290/ipc:4026531839/uts:4026531838',
    ],
    [
      'own ipc only',
      inodes(4026531833, 4026532288, 4026531838),
      'net:4026531833/ipc:4026532288/uts:4026531838',
    ],
    [
      'own uts only',
      inodes(4026531833, 4026531839, 4026532287),
      'net:4026531833/ipc:4026531839/uts:4026532287',
    ],
    ['all own', inodes(4026532290, 4026532288, 4026532287), 'net:4026532290/ipc:4026532288/uts:4026532287'],
    ['unreadable links are ?', inodes(null, null, 4026532287), 'net:?/ipc:?/uts:4026532287'],
    ['all unreadable', inodes(null, null, null), 'net:?/ipc:?/uts:?'],
  ];
  for (const [label, ns, expected] of cases) assert.equal(namespaceIdentity(ns, HOST), expected, label);
});

test('namespaceIdentity compares against whatever host it is given', () => {
  assert.equal(namespaceIdentity(inodes(null, null, null), inodes(null, null, null)), 'host');
  assert.equal(
    namespaceIdentity(HOST, inodes(4026531833, 4026531839, null)),
    'net:4026531833/ipc:4026531839/uts:4026531838',
  );
});

test('with nothing discovered there is exactly the host set, entered by hostPid', () => {
  assert.deepEqual(groupNamespaceSets(HOST, HOST_PID, []), [HOST_SET]);
  assert.deepEqual(groupNamespaceSets(HOST, 31337, []), [{ ...HOST_SET, pid: 31337 }]);
});

test('a container with its own net, ipc and uts is a container set differing in all three types', () => {
  const ns = inodes(4026532290, 4026532288, 4026532287);
  const web = container('web', 5120, ns);
  assert.deepEqual(groupNamespaceSets(HOST, HOST_PID, [web]), [
    HOST_SET,
    {
      identity: 'net:4026532290/ipc:4026532288/uts:4026532287',
      kind: 'container',
      inodes: ns,
      differingTypes: ['net', 'ipc', 'uts'],
      entry: { net: '/proc/5120/ns/net', ipc: '/proc/5120/ns/ipc', uts: '/proc/5120/ns/uts' },
      pid: 5120,
      owners: [web.owner],
    },
  ]);
});

test('a --network host container with its own ipc and uts differs only there and is entered without net', () => {
  const ns = inodes(HOST.net, 4026532301, 4026532300);
  const sidecar = container('metrics', 6001, ns, 'host');
  const sets = groupNamespaceSets(HOST, HOST_PID, [sidecar]);
  assert.equal(sets.length, 2);
  const set = sets[1];
  assert.deepEqual(set, {
    identity: 'net:4026531833/ipc:4026532301/uts:4026532300',
    kind: 'container',
    inodes: ns,
    differingTypes: ['ipc', 'uts'],
    entry: { ipc: '/proc/6001/ns/ipc', uts: '/proc/6001/ns/uts' },
    pid: 6001,
    owners: [sidecar.owner],
  });
  assert.equal(Object.hasOwn(set?.entry ?? {}, 'net'), false);
});

test('two containers sharing all three namespaces (a pod) are one set with both owners sorted by name', () => {
  const pod = inodes(4026532410, 4026532408, 4026532407);
  const app = container('pod-app', 7302, pod, 'container:pod-pause');
  const pause = container('pod-pause', 7250, pod);
  // Their other processes are discovered too; the containers explain the set, so they are not kept.
  const worker = processIn(7310, pod, 'nginx');
  const sets = groupNamespaceSets(HOST, HOST_PID, [worker, app, pause]);
  assert.deepEqual(sets, [
    HOST_SET,
    {
      identity: 'net:4026532410/ipc:4026532408/uts:4026532407',
      kind: 'container',
      inodes: pod,
      differingTypes: ['net', 'ipc', 'uts'],
      entry: { net: '/proc/7302/ns/net', ipc: '/proc/7302/ns/ipc', uts: '/proc/7302/ns/uts' },
      pid: 7250,
      owners: [app.owner, pause.owner],
    },
  ]);
});

test('a named netns alone is a netns set entered by its bind mount, with no pid', () => {
  const blue = netns('blue', 4026532500);
  assert.deepEqual(groupNamespaceSets(HOST, HOST_PID, [blue]), [
    HOST_SET,
    {
      identity: 'net:4026532500/ipc:4026531839/uts:4026531838',
      kind: 'netns',
      inodes: inodes(4026532500, HOST.ipc, HOST.uts),
      differingTypes: ['net'],
      entry: { net: '/run/netns/blue' },
      pid: null,
      owners: [blue.owner],
    },
  ]);
});

test('a named netns with a process running in it gets that pid; the process is not an owner', () => {
  const blue = netns('blue', 4026532500);
  const sleeper = processIn(8800, inodes(4026532500, HOST.ipc, HOST.uts));
  const dnsmasq = processIn(8700, inodes(4026532500, HOST.ipc, HOST.uts), 'dnsmasq');
  const sets = groupNamespaceSets(HOST, HOST_PID, [sleeper, blue, dnsmasq]);
  assert.equal(sets.length, 2);
  const set = sets[1];
  assert.equal(set?.identity, 'net:4026532500/ipc:4026531839/uts:4026531838');
  assert.equal(set?.kind, 'netns');
  assert.deepEqual(set?.differingTypes, ['net']);
  assert.equal(set?.pid, 8700, 'the lowest pid in the set, for /proc/PID/net counters');
  assert.deepEqual(set?.owners, [blue.owner]);
  // Only the net type differs, so the entry holds exactly one path into that netns. (Which of the two is
  // chosen is discussed in the report: the entryFor comment prefers a process's files.)
  assert.deepEqual(Object.keys(set?.entry ?? {}), ['net']);
  assert.deepEqual(
    set?.entry,
    { net: '/proc/8700/ns/net' },
    'a process inside is preferred over the netns file',
  );
});

test('a container inside a set that also has a named netns makes it a container set entered through the container', () => {
  const shared = inodes(4026532600, HOST.ipc, HOST.uts);
  const red = netns('red', 4026532600);
  const probe = container('probe', 9100, shared, 'none');
  const sets = groupNamespaceSets(HOST, HOST_PID, [red, probe]);
  assert.deepEqual(sets[1], {
    identity: 'net:4026532600/ipc:4026531839/uts:4026531838',
    kind: 'container',
    inodes: shared,
    differingTypes: ['net'],
    entry: { net: '/proc/9100/ns/net' },
    pid: 9100,
    owners: [probe.owner, red.owner],
  });
});

test('plain processes: one set per identity, only the lowest pid kept, entered through it', () => {
  const a = inodes(4026532700, 4026532698, 4026532697);
  const b = inodes(4026531833, 4026531839, 4026532801); // own uts only (unshare --uts)
  const discovered = [
    processIn(9001, a, 'worker'),
    processIn(455, a, 'supervisor'),
    processIn(812, a, 'worker'),
    processIn(3002, b, 'bash'),
    processIn(3001, b, 'unshare'),
  ];
  assert.deepEqual(groupNamespaceSets(HOST, HOST_PID, discovered), [
    HOST_SET,
    {
      identity: 'net:4026531833/ipc:4026531839/uts:4026532801',
      kind: 'process',
      inodes: b,
      differingTypes: ['uts'],
      entry: { uts: '/proc/3001/ns/uts' },
      pid: 3001,
      owners: [{ kind: 'process', pid: 3001, command: 'unshare' }],
    },
    {
      identity: 'net:4026532700/ipc:4026532698/uts:4026532697',
      kind: 'process',
      inodes: a,
      differingTypes: ['net', 'ipc', 'uts'],
      entry: { net: '/proc/455/ns/net', ipc: '/proc/455/ns/ipc', uts: '/proc/455/ns/uts' },
      pid: 455,
      owners: [{ kind: 'process', pid: 455, command: 'supervisor' }],
    },
  ]);
});

test('owners in all the host namespaces join the host set: named owners kept, processes dropped, pid = hostPid', () => {
  const hostNet = container('node-exporter', 1500, HOST, 'host');
  const attached = netns('init', HOST.net ?? 0); // `ip netns attach init 1`
  const hostProcess = processIn(2, HOST, 'kthreadd');
  const sets = groupNamespaceSets(HOST, 4242, [attached, hostProcess, hostNet]);
  assert.deepEqual(sets, [
    {
      identity: 'host',
      kind: 'host',
      inodes: HOST,
      differingTypes: [],
      entry: {},
      pid: 4242,
      owners: [hostNet.owner, attached.owner],
    },
  ]);
});

test('the host set comes first, then the others by identity, whatever the discovery order', () => {
  const discovered = [
    container('c', 300, inodes(4026532903, 4026532902, 4026532901)),
    netns('n', 4026532100),
    processIn(200, inodes(4026532500, 4026532499, 4026532498)),
    container('h', 100, HOST, 'host'),
  ];
  const sets = groupNamespaceSets(HOST, HOST_PID, discovered);
  assert.deepEqual(
    sets.map((s) => [s.identity, s.kind]),
    [
      ['host', 'host'],
      ['net:4026532100/ipc:4026531839/uts:4026531838', 'netns'],
      ['net:4026532500/ipc:4026532499/uts:4026532498', 'process'],
      ['net:4026532903/ipc:4026532902/uts:4026532901', 'container'],
    ],
  );
});

test('owners of one set sort containers before named netns, then by name', () => {
  const shared = inodes(4026532950, HOST.ipc, HOST.uts);
  const discovered = [
    netns('zeta', 4026532950),
    netns('alpha', 4026532950),
    container('b-app', 40, shared),
    container('a-app', 41, shared),
  ];
  const [, set] = groupNamespaceSets(HOST, HOST_PID, discovered);
  assert.deepEqual(
    set?.owners.map((o) => `${o.kind}:${o.kind === 'process' ? o.pid : o.name}`),
    ['container:a-app', 'container:b-app', 'netns:alpha', 'netns:zeta'],
  );
  assert.equal(set?.pid, 40);
});

function podIn(name: string, pid: number, ns: NamespaceInodes): DiscoveredOwner {
  return {
    owner: {
      kind: 'pod',
      namespace: 'default',
      name,
      uid: `uid-${name}`,
      containers: [],
      labels: {},
      declaredSysctls: {},
      pid,
      source: 'cri',
    },
    inodes: ns,
    entry: processEntry(pid),
  };
}

test("a pod's pinned netns (containerd's cni-…) is not a second set read again; the pod names it", () => {
  const ns = inodes(4026533000, 4026532998, 4026532997);
  const pod = podIn('web', 7000, ns);
  const pinned = netns('cni-1f2e', 4026533000);
  const sets = groupNamespaceSets(HOST, HOST_PID, [pinned, pod]);
  assert.deepEqual(sets, [
    HOST_SET,
    {
      identity: 'net:4026533000/ipc:4026532998/uts:4026532997',
      kind: 'pod',
      inodes: ns,
      differingTypes: ['net', 'ipc', 'uts'],
      entry: { net: '/proc/7000/ns/net', ipc: '/proc/7000/ns/ipc', uts: '/proc/7000/ns/uts' },
      pid: 7000,
      owners: [pod.owner],
    },
  ]);
  // A container with its own IPC/UTS in a named netns (`--network ns:/run/netns/red`) explains it the same way.
  const red = netns('red', 4026533100);
  const app = container('app', 7100, inodes(4026533100, 4026533098, 4026533097));
  assert.deepEqual(
    groupNamespaceSets(HOST, HOST_PID, [red, app]).map((s) => [s.kind, s.owners.map((o) => o.kind)]),
    [
      ['host', []],
      ['container', ['container']],
    ],
  );
});

test('a named netns shared only with plain processes, or with nothing, stays a set of its own', () => {
  const blue = netns('blue', 4026533200);
  const shell = processIn(7200, inodes(4026533200, HOST.ipc, 4026533197)); // ip netns exec blue unshare -u
  const sets = groupNamespaceSets(HOST, HOST_PID, [blue, shell]);
  assert.deepEqual(
    sets.map((s) => [s.identity, s.kind]),
    [
      ['host', 'host'],
      ['net:4026533200/ipc:4026531839/uts:4026531838', 'netns'],
      ['net:4026533200/ipc:4026531839/uts:4026533197', 'process'],
    ],
  );
});

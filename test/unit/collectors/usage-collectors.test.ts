import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCollectors } from '../../../src/collectors/collector-runner.js';
import type { CollectionTarget } from '../../../src/collectors/collector.js';
import { defaultCollectors } from '../../../src/collectors/collectors.js';
import type { NamespaceSet } from '../../../src/domain/namespaces/namespace-types.js';
import type { SysctlReading } from '../../../src/domain/sysctl/sysctl-types.js';
import { readingValues } from '../../../src/domain/sysctl/reading-values.js';
import { buildTargetRecord } from '../../../src/snapshot/build-target-records.js';
import { repoPath } from '../../helpers/repo-path.js';

const NETNS_PID = 4242;
const HOST: NamespaceSet = {
  identity: 'host',
  kind: 'host',
  inodes: { net: 1, ipc: 2, uts: 3 },
  differingTypes: [],
  entry: {},
  pid: 1,
  owners: [],
};
const NETNS: NamespaceSet = {
  identity: 'net:9/ipc:2/uts:3',
  kind: 'netns',
  inodes: { net: 9, ipc: 2, uts: 3 },
  differingTypes: ['net'],
  entry: { net: '/run/netns/blue' },
  pid: NETNS_PID,
  owners: [{ kind: 'netns', name: 'blue', path: '/run/netns/blue' }],
};

const readable = (key: string, value: string): SysctlReading => ({ key, access: 'readable', value });
const HOST_READINGS = [
  readable('net.ipv4.ip_local_port_range', '32768\t60999'),
  readable('net.ipv4.neigh.default.gc_thresh3', '1024'),
  readable('net.ipv4.tcp_mem', '287898\t383865\t575796'),
  readable('net.core.somaxconn', '4096'),
  readable('net.ipv4.tcp_syncookies', '1'),
  readable('net.netfilter.nf_conntrack_max', '262144'),
  readable('kernel.threads-max', '192729'),
  readable('kernel.pid_max', '32768'),
  readable('kernel.shmmni', '4096'),
  readable('kernel.msgmni', '32000'),
  readable('kernel.sem', '32000\t1024000000\t500\t32000'),
];
/** A child netns shows its own port range and somaxconn; tcp_mem and gc_thresh3 are absent there. */
const NETNS_READINGS = [
  readable('net.ipv4.ip_local_port_range', '40000\t40019'),
  readable('net.core.somaxconn', '4096'),
  readable('net.netfilter.nf_conntrack_max', '262144'),
];

/** A procfs root built from test/fixtures/proc-net and conntrack-stat: PID 1 = host, NETNS_PID = the netns. */
function fakeProcRoot(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kl-usage-'));
  const fixtures = repoPath('test', 'fixtures');
  for (const [pid, place, conntrack] of [
    [1, 'host', 'host-6.18.txt'],
    [NETNS_PID, 'netns', 'netns-with-entries-6.18.txt'],
  ] as const) {
    mkdirSync(path.join(root, String(pid), 'net', 'stat'), { recursive: true });
    for (const name of ['tcp', 'tcp6', 'udp', 'udp6', 'arp', 'sockstat', 'netstat'])
      copyFileSync(path.join(fixtures, 'proc-net', place, name), path.join(root, String(pid), 'net', name));
    copyFileSync(
      path.join(fixtures, 'conntrack-stat', conntrack),
      path.join(root, String(pid), 'net', 'stat', 'nf_conntrack'),
    );
  }
  copyFileSync(
    path.join(fixtures, 'proc-net', 'host', 'arp_cache'),
    path.join(root, '1', 'net', 'stat', 'arp_cache'),
  );
  copyFileSync(path.join(fixtures, 'proc-net', 'host', 'loadavg'), path.join(root, 'loadavg'));
  mkdirSync(path.join(root, 'sysvipc'));
  for (const kind of ['shm', 'msg', 'sem'])
    copyFileSync(
      path.join(fixtures, 'proc-net', 'host', `sysvipc-${kind}`),
      path.join(root, 'sysvipc', kind),
    );
  mkdirSync(path.join(root, '77'));
  writeFileSync(path.join(root, 'self'), '');
  return root;
}

/** Every collector but the sysctl one (its readings are given), then the record's samples by metric. */
async function samplesOf(
  target: CollectionTarget,
  readings: SysctlReading[],
  hostValues?: ReadonlyMap<string, string>,
): Promise<Record<string, [usage: number, limit: number]>> {
  const collection = await runCollectors(
    defaultCollectors().filter((c) => c.id !== 'sysctl'),
    target,
  );
  assert.deepEqual(collection.errors, []);
  const planned = buildTargetRecord(
    { ...collection, readings },
    new Map(),
    new Map(),
    Date.parse('2026-11-29T02:20:00Z'),
    hostValues,
  );
  return Object.fromEntries(planned.record.samples.map((s) => [s.metric, [s.usage, s.limit]]));
}

test('the host set: every usage pair, limits from its own readings', async () => {
  const root = fakeProcRoot();
  try {
    const samples = await samplesOf({ set: HOST, procRoot: root, timeoutMs: 5000 }, HOST_READINGS);
    assert.deepEqual(samples, {
      'conntrack.entries': [12, 262144],
      'conntrack.drop.total': [0, 262144],
      'conntrack.early_drop.total': [0, 262144],
      'conntrack.insert_failed.total': [0, 262144],
      'ports.in_use': [0, 28232],
      'neighbours.entries': [1, 1024],
      'neighbours.table_entries': [2, 1024],
      'tcp.memory_pages': [186, 575796],
      'neighbours.table_fulls.total': [0, 1024],
      'tcp.listen_overflows.total': [0, 4096],
      'tcp.listen_drops.total': [0, 4096],
      'tcp.syn_queue_drops.total': [0, 4096],
      'tcp.syn_queue_cookies.total': [0, 4096],
      'tcp.memory_pressures.total': [0, 575796],
      'tasks.threads': [159, 192729],
      'tasks.processes': [3, 32768],
      'ipc.shm_segments': [0, 4096],
      'ipc.msg_queues': [0, 32000],
      'ipc.sem_sets': [0, 32000],
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a netns set: its own port range and somaxconn, the host gc_thresh3 and tcp_mem; no host-only metrics', async () => {
  const root = fakeProcRoot();
  try {
    const target = { set: NETNS, procRoot: root, timeoutMs: 5000 };
    const samples = await samplesOf(target, NETNS_READINGS, readingValues(HOST_READINGS));
    assert.deepEqual(samples, {
      'conntrack.entries': [20, 262144],
      'conntrack.drop.total': [0, 262144],
      'conntrack.early_drop.total': [0, 262144],
      'conntrack.insert_failed.total': [0, 262144],
      'ports.in_use': [11, 20],
      'neighbours.entries': [2, 1024],
      'tcp.listen_overflows.total': [16, 4096],
      'tcp.listen_drops.total': [16, 4096],
      'tcp.syn_queue_drops.total': [0, 4096],
      'tcp.memory_pressures.total': [0, 575796],
    });
    const withoutHost = await samplesOf(target, NETNS_READINGS);
    assert.equal('neighbours.entries' in withoutHost, false, 'gc_thresh3 comes only from the host');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a set sharing the host netns (--network host), or another set holding its netns usage, samples nothing', async () => {
  const root = fakeProcRoot();
  try {
    const sharing: NamespaceSet = { ...NETNS, identity: 'net:1/ipc:5/uts:3', differingTypes: ['uts'] };
    assert.deepEqual(await samplesOf({ set: sharing, procRoot: root, timeoutMs: 5000 }, []), {});
    const twin = { set: NETNS, procRoot: root, timeoutMs: 5000, ownsNetnsUsage: false };
    assert.deepEqual(await samplesOf(twin, NETNS_READINGS), {}, 'not even nf_conntrack_count of the sysctls');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a vanished process is no data, not an error', async () => {
  const root = fakeProcRoot();
  try {
    const gone: NamespaceSet = { ...NETNS, pid: 999_999 };
    assert.deepEqual(await samplesOf({ set: gone, procRoot: root, timeoutMs: 5000 }, NETNS_READINGS), {});
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a netns whose kernel dropped SYNs for a full SYN queue: the drops against its own somaxconn', async () => {
  const root = fakeProcRoot();
  try {
    // test/fixtures/proc-net/netns-syn-drops: tcp_syncookies=0, somaxconn=4, 7 of 12 clients' SYNs dropped.
    copyFileSync(
      repoPath('test', 'fixtures', 'proc-net', 'netns-syn-drops', 'netstat'),
      path.join(root, String(NETNS_PID), 'net', 'netstat'),
    );
    const own = [
      readable('net.core.somaxconn', '4'),
      readable('net.ipv4.tcp_syncookies', '0'),
      readable('net.ipv4.tcp_max_syn_backlog', '2048'),
    ];
    const target = { set: NETNS, procRoot: root, timeoutMs: 5000 };
    const samples = await samplesOf(target, own, readingValues(HOST_READINGS));
    assert.deepEqual(samples['tcp.syn_queue_drops.total'], [35, 4]);
    assert.deepEqual(samples['tcp.listen_drops.total'], [35, 4], 'every SYN-queue drop is a listen drop too');
    assert.deepEqual(samples['tcp.listen_overflows.total'], [0, 4]);
    assert.deepEqual(samples['tcp.memory_pressures.total'], [0, 575796], 'tcp_mem is the host-wide value');
    assert.equal('tcp.syn_queue_cookies.total' in samples, false, 'no cookies sample under tcp_syncookies=0');
    const always = await samplesOf(
      target,
      [readable('net.core.somaxconn', '4'), readable('net.ipv4.tcp_syncookies', '2')],
      readingValues(HOST_READINGS),
    );
    assert.equal(
      'tcp.syn_queue_cookies.total' in always,
      false,
      'with 2 every SYN counts: not tied to the queue',
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

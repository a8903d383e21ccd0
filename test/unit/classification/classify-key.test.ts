import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyKey } from '../../../src/domain/classification/classify-key.js';
import {
  CHILD_VISIBILITIES,
  SCOPES,
  type ChildVisibility,
  type Scope,
} from '../../../src/domain/sysctl/sysctl-types.js';
import { loadProcSysFixture } from '../../helpers/proc-fixture.js';

const fixture = loadProcSysFixture();

const EXPECTED: readonly [key: string, scope: Scope, childVisibility: ChildVisibility | null][] = [
  ['net.netfilter.nf_conntrack_max', 'global', 'mirrored'],
  ['net.core.rmem_max', 'global', 'mirrored'],
  ['net.ipv4.tcp_allowed_congestion_control', 'global', 'mirrored'],
  ['net.core.netdev_max_backlog', 'global', 'absent'],
  ['net.ipv4.tcp_mem', 'global', 'absent'],
  ['net.ipv4.udp_mem', 'global', 'absent'],
  ['net.nf_conntrack_max', 'global', 'absent'],
  ['net.ipv4.route.max_size', 'global', 'absent'],
  ['net.ipv4.neigh.default.gc_thresh3', 'global', 'absent'],
  ['net.ipv6.neigh.default.unres_qlen', 'global', 'absent'],
  ['net.ipv4.neigh.default.some_future_param', 'global', 'absent'],
  ['net.core.somaxconn', 'net', 'isolated'],
  ['net.ipv4.ip_local_port_range', 'net', 'isolated'],
  ['net.ipv4.route.flush', 'net', 'isolated'],
  ['net.ipv6.route.max_size', 'net', 'isolated'],
  ['net.netfilter.nf_conntrack_count', 'net', 'isolated'],
  ['net.sctp.rto_min', 'net', 'isolated'],
  ['kernel.shmmax', 'ipc', 'isolated'],
  ['kernel.sem', 'ipc', 'isolated'],
  ['kernel.msg_next_id', 'ipc', 'isolated'],
  ['fs.mqueue.queues_max', 'ipc', 'isolated'],
  ['kernel.hostname', 'uts', 'isolated'],
  ['kernel.osrelease', 'uts', 'isolated'],
  ['user.max_net_namespaces', 'user', 'isolated'],
  ['user.max_inotify_watches', 'user', 'isolated'],
  ['kernel.pid_max', 'pid', 'isolated'],
  ['kernel.ns_last_pid', 'pid', 'isolated'],
  ['vm.memfd_noexec', 'pid', 'isolated'],
  ['kernel.cad_pid', 'global', null],
  ['fs.file-max', 'global', null],
  ['fs.inotify.max_user_watches', 'global', null],
  ['kernel.threads-max', 'global', null],
  ['vm.max_map_count', 'global', null],
  ['kernel.shm_other', 'global', null],
  ['sunrpc.transports', 'global', null],
  ['', 'global', null],
];

for (const [key, scope, childVisibility] of EXPECTED) {
  test(`classifyKey(${JSON.stringify(key)}) → ${scope}/${String(childVisibility)}`, () => {
    const c = classifyKey(key);
    assert.equal(c.scope, scope);
    assert.equal(c.childVisibility, childVisibility);
    assert.equal(c.source, 'builtin');
  });
}

const PER_INTERFACE_KEYS: readonly string[] = [
  'net.ipv4.conf.eth0.rp_filter',
  'net.ipv4.conf.lo.mc_forwarding',
  'net.ipv4.conf.docker0.forwarding',
  'net.ipv4.conf.veth1a2b3c4.accept_redirects',
  'net.ipv4.conf.eth0/100.forwarding',
  'net.ipv4.conf.all.forwarding',
  'net.ipv4.conf.default.rp_filter',
  'net.ipv6.conf.br-0a1b2c3d4e5f.disable_ipv6',
  'net.ipv6.conf.all.stable_secret',
  'net.ipv4.neigh.eth0.gc_stale_time',
  'net.ipv6.neigh.docker0.base_reachable_time_ms',
  'net.ipv4.neigh.lo.retrans_time',
  'net.mpls.conf.eth0.input',
];

for (const key of PER_INTERFACE_KEYS) {
  test(`per-interface key ${key} is per netns`, () => {
    assert.deepEqual(classifyKey(key), {
      scope: 'net',
      volatile: false,
      childVisibility: 'isolated',
      source: 'builtin',
    });
  });
}

test('every key of the fixture classifies to a known scope and visibility', () => {
  assert.ok(fixture.size > 1000, `fixture has only ${fixture.size} keys`);
  for (const key of fixture.keys()) {
    const c = classifyKey(key);
    assert.ok(SCOPES.includes(c.scope), key);
    assert.ok(c.childVisibility === null || CHILD_VISIBILITIES.includes(c.childVisibility), key);
    assert.equal(typeof c.volatile, 'boolean', key);
  }
});

test('per-interface keys of every device in the fixture are net/isolated', () => {
  const perDevice = [...fixture.keys()].filter((k) =>
    /^net\.ipv[46]\.(conf|neigh)\.(eth0|ifb0|ifb1|lo)\./.test(k),
  );
  assert.ok(perDevice.length > 400, `${perDevice.length} per-device keys`);
  for (const key of perDevice) assert.equal(classifyKey(key).scope, 'net', key);
});

/**
 * KERNEL.md §2.1/§4 on the 6.18 VM: non-net 219 global + cad_pid, 17 ipc, 6 uts, 12 user, 3 pid; net 104 absent +
 * 8 mirrored (global) and 576 per-netns keys after dropping per-device directories. This fixture has the same
 * key set plus the per-device trees of eth0, ifb0 and ifb1 (3 × 130 = 390 net keys).
 */
test('counts by scope and visibility on the fixture match KERNEL.md', () => {
  const byScope = new Map<string, number>();
  const byVisibility = new Map<string, number>();
  for (const key of fixture.keys()) {
    const c = classifyKey(key);
    byScope.set(c.scope, (byScope.get(c.scope) ?? 0) + 1);
    byVisibility.set(String(c.childVisibility), (byVisibility.get(String(c.childVisibility)) ?? 0) + 1);
  }
  assert.deepEqual(Object.fromEntries(byScope), {
    global: 220 + 112,
    net: 576 + 390,
    ipc: 17,
    uts: 6,
    user: 12,
    pid: 3,
  });
  assert.deepEqual(Object.fromEntries(byVisibility), { absent: 104, mirrored: 8, isolated: 1004, null: 220 });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { KERNEL_SIGNATURE_IDS } from '../../../src/domain/kernel-events/kernel-signatures.js';
import {
  matchKernelSignature,
  plainConntrackMeansInitNet,
} from '../../../src/domain/kernel-events/match-kernel-signature.js';
import { parseKmsgRecord } from '../../../src/domain/kernel-events/parse-kmsg-record.js';
import { splitKmsgRecords } from '../../../src/domain/kernel-events/split-kmsg-records.js';
import { repoPath } from '../../helpers/repo-path.js';

const INIT_NET = 4026531833;
const SPLIT_KERNEL = { plainConntrackNetInode: INIT_NET };
const OLD_KERNEL = { plainConntrackNetInode: null };

/** [line as printed (KERNEL.md §9, 6.18 formats; [EXP] ones seen on this VM), signature, key, net inode]. */
const CASES: [string, string, string, number | null][] = [
  [
    'nf_conntrack: nf_conntrack: table full, dropping packet',
    'conntrack-table-full',
    'net.netfilter.nf_conntrack_max',
    INIT_NET,
  ],
  [
    'nf_conntrack: nf_conntrack: table full in netns 4026532246, dropping packet',
    'conntrack-table-full',
    'net.netfilter.nf_conntrack_max',
    4026532246,
  ],
  [
    'nf_conntrack: table full, dropping packet.',
    'conntrack-table-full',
    'net.netfilter.nf_conntrack_max',
    INIT_NET,
  ],
  [
    'nf_conntrack: expectation table full',
    'conntrack-expectation-table-full',
    'net.netfilter.nf_conntrack_expect_max',
    null,
  ],
  [
    'neighbour: arp_cache: neighbor table overflow!',
    'neighbour-table-overflow',
    'net.ipv4.neigh.default.gc_thresh3',
    null,
  ],
  [
    'neighbour: ndisc_cache: neighbor table overflow!',
    'neighbour-table-overflow',
    'net.ipv6.neigh.default.gc_thresh3',
    null,
  ],
  [
    'TCP: request_sock_TCP: Possible SYN flooding on port 127.0.0.1:8082. Sending cookies.',
    'syn-flooding',
    'net.core.somaxconn',
    null,
  ],
  [
    'TCP: request_sock_TCPv6: Possible SYN flooding on port [::1]:443. Dropping request.',
    'syn-flooding',
    'net.core.somaxconn',
    null,
  ],
  ['TCP: out of memory -- consider tuning tcp_mem', 'tcp-out-of-memory', 'net.ipv4.tcp_mem', null],
  ['TCP: too many orphaned sockets', 'tcp-too-many-orphans', 'net.ipv4.tcp_max_orphans', null],
  ['VFS: file-max limit 2466160 reached', 'file-max-reached', 'fs.file-max', null],
  ['cgroup: fork rejected by pids controller in /rkpids-3092', 'pids-fork-rejected', 'pids.max', null],
  [
    'perf: interrupt took too long (2503 > 2500), lowering kernel.perf_event_max_sample_rate to 79750',
    'perf-interrupt-too-long',
    'kernel.perf_event_max_sample_rate',
    null,
  ],
  ['sched: RT throttling activated', 'rt-throttling', 'kernel.sched_rt_runtime_us', null],
  [
    'INFO: task kworker/0:1:123 blocked for more than 120 seconds.',
    'hung-task',
    'kernel.hung_task_timeout_secs',
    null,
  ],
  [
    'ip_local_port_range: prefer different parity for start/end values.',
    'ip-local-port-range-parity',
    'net.ipv4.ip_local_port_range',
    null,
  ],
  ['net_ratelimit: 126 callbacks suppressed', 'net-ratelimit-suppressed', 'net.core.message_cost', null],
];

test('every signature matches its 6.18 line and names the implicated key', () => {
  for (const [line, signature, key, netInode] of CASES) {
    const match = matchKernelSignature(line, SPLIT_KERNEL);
    assert.equal(match?.signature, signature, line);
    assert.equal(match.key, key, line);
    assert.equal(match.netInode, netInode, line);
  }
  assert.deepEqual(
    new Set(CASES.map((c) => c[1])),
    new Set(KERNEL_SIGNATURE_IDS),
    'every signature is covered',
  );
});

test('the net_ratelimit line carries its suppressed count; net-limited signatures say so', () => {
  assert.equal(
    matchKernelSignature('net_ratelimit: 126 callbacks suppressed', SPLIT_KERNEL)?.suppressed,
    126,
  );
  assert.equal(matchKernelSignature('TCP: too many orphaned sockets', SPLIT_KERNEL)?.limiter, 'net');
  assert.equal(matchKernelSignature('VFS: file-max limit 1 reached', SPLIT_KERNEL)?.limiter, 'other');
});

test('the plain conntrack form is attributed to init_net only on kernels that print the netns form', () => {
  assert.equal(
    matchKernelSignature('nf_conntrack: nf_conntrack: table full, dropping packet', OLD_KERNEL)?.netInode,
    null,
  );
  const named = 'nf_conntrack: nf_conntrack: table full in netns 4026532246, dropping packet';
  assert.equal(matchKernelSignature(named, OLD_KERNEL)?.netInode, 4026532246);
  assert.equal(plainConntrackMeansInitNet('6.18.44-fc-v782'), true);
  assert.equal(plainConntrackMeansInitNet('7.0.1'), true);
  assert.equal(plainConntrackMeansInitNet('6.8.0-45-generic'), false);
  assert.equal(plainConntrackMeansInitNet('5.15.0'), false);
  assert.equal(plainConntrackMeansInitNet(''), false);
});

test('near misses and ordinary lines match nothing', () => {
  for (const line of [
    'nf_conntrack: default automatic helper assignment has been turned off for security reasons',
    'docker0: port 1(veth3719d15) entered blocking state',
    'TCP: request_sock_TCP: Possible SYN flooding on port 127.0.0.1:8082',
    'x nf_conntrack: nf_conntrack: table full, dropping packet',
    'VFS: file-max limit reached',
  ]) {
    assert.equal(matchKernelSignature(line, SPLIT_KERNEL), null, line);
  }
});

test('in the real capture only the 20 conntrack lines and the net_ratelimit line match', () => {
  const records = splitKmsgRecords(
    readFileSync(repoPath('test', 'fixtures', 'kmsg', 'boot-6.18.txt'), 'utf8'),
  )
    .records.map(parseKmsgRecord)
    .filter((r) => r !== null && r.facility === 0);
  const matched = records.flatMap((r) => {
    const m = r ? matchKernelSignature(r.message, SPLIT_KERNEL) : null;
    return m ? [m] : [];
  });
  assert.equal(matched.length, 21);
  assert.equal(
    matched.filter((m) => m.signature === 'conntrack-table-full' && m.netInode === 4026532246).length,
    20,
  );
  assert.equal(matched.filter((m) => m.signature === 'net-ratelimit-suppressed').length, 1);
});

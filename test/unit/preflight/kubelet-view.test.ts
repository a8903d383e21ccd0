import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeSysctlsFor } from '../../../src/domain/preflight/kubelet-rules.js';
import { kubeletViewOf } from '../../../src/domain/preflight/kubelet-view.js';
import type { Scope } from '../../../src/domain/sysctl/sysctl-types.js';

test('safe, unsafe or node-level, by the kubelet safe set of the kernel and the key scope', () => {
  const cases: [string, Scope, string | null, string][] = [
    ['net.ipv4.ip_local_port_range', 'net', '6.1.0', 'safe'],
    ['net.ipv4.tcp_rmem', 'net', '6.1.0', 'safe'],
    ['net.ipv4.tcp_rmem', 'net', '4.14.0', 'unsafe'], // gated on 4.15 in the kubelet
    ['net.core.somaxconn', 'net', '6.1.0', 'unsafe'],
    ['kernel.shm_rmid_forced', 'ipc', '6.1.0', 'safe'],
    ['kernel.msgmax', 'ipc', '6.1.0', 'unsafe'],
    ['net.netfilter.nf_conntrack_max', 'global', '6.1.0', 'node-level'], // mirrored: fails at container start
    ['vm.swappiness', 'global', '6.1.0', 'node-level'],
    ['kernel.hostname', 'uts', '6.1.0', 'node-level'], // the kubelet refuses uts keys (pods set hostname)
  ];
  for (const [key, scope, release, expected] of cases) {
    assert.equal(kubeletViewOf(key, scope, safeSysctlsFor(release)), expected, `${key} on ${release}`);
  }
});

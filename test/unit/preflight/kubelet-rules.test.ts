import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeletNamespaceOf, safeSysctlsFor } from '../../../src/domain/preflight/kubelet-rules.js';

test('the safe set follows the kernel version gates', () => {
  assert.ok(safeSysctlsFor('6.18.44-fc-v657').has('net.ipv4.tcp_rmem'));
  assert.ok(!safeSysctlsFor('4.14.0').has('net.ipv4.tcp_rmem'));
  assert.ok(safeSysctlsFor('4.14.0').has('net.ipv4.tcp_fin_timeout'));
  assert.ok(!safeSysctlsFor('4.4.0').has('net.ipv4.tcp_keepalive_time'));
  assert.deepEqual([...safeSysctlsFor(null)].sort(), [
    'kernel.shm_rmid_forced',
    'net.ipv4.ip_local_port_range',
    'net.ipv4.ip_unprivileged_port_start',
    'net.ipv4.ping_group_range',
    'net.ipv4.tcp_syncookies',
  ]);
});

test('namespace groups as NamespacedBy has them', () => {
  assert.equal(kubeletNamespaceOf('kernel.sem'), 'ipc');
  assert.equal(kubeletNamespaceOf('kernel.shmmax'), 'ipc');
  assert.equal(kubeletNamespaceOf('kernel.msgmax'), 'ipc');
  assert.equal(kubeletNamespaceOf('fs.mqueue.msg_max'), 'ipc');
  assert.equal(kubeletNamespaceOf('net.core.somaxconn'), 'net');
  assert.equal(kubeletNamespaceOf('kernel.domainname'), null);
  assert.equal(kubeletNamespaceOf('kernel.semx'), null);
});

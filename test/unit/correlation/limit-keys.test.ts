import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalKey, compareRoom, LIMIT_KEYS, roomOf } from '../../../src/domain/correlation/limit-keys.js';

test('aliases of one kernel variable map to one name', () => {
  assert.equal(canonicalKey('net.nf_conntrack_max'), 'net.netfilter.nf_conntrack_max');
  assert.equal(canonicalKey('net.core.somaxconn'), 'net.core.somaxconn');
});

test('room: ranges by width, multi-field keys by their limit field, direction down negated', () => {
  assert.equal(roomOf('net.ipv4.ip_local_port_range', '32768\t60999'), 28232);
  assert.equal(roomOf('net.ipv4.tcp_mem', '1 2 300'), 300);
  assert.equal(roomOf('kernel.sem', '32000 1024000000 500 32000'), 32000);
  assert.equal(roomOf('vm.min_free_kbytes', '100'), -100);
  assert.equal(roomOf('net.ipv4.tcp_keepalive_time', '7200'), null, 'not a limit');
  assert.equal(roomOf('net.core.somaxconn', 'many'), null);
  assert.equal(compareRoom('net.core.somaxconn', '4', '4096'), -1);
  assert.equal(compareRoom('net.core.somaxconn', '4096', '4'), 1);
  assert.equal(compareRoom('net.core.somaxconn', '4', null), 0);
  assert.equal(compareRoom('net.nf_conntrack_max', '64', '262144'), -1, 'the alias is a limit too');
});

test('the curated list names each key once', () => {
  const keys = LIMIT_KEYS.map((l) => l.key);
  assert.equal(new Set(keys).size, keys.length);
});

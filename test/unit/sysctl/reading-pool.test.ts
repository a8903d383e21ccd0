import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReadingPool } from '../../../src/domain/sysctl/reading-pool.js';
import type { SysctlReading } from '../../../src/domain/sysctl/sysctl-types.js';

/** A pod's readings as a parse makes them: every object and key string new. */
const podReadings = (n: number, forwarding = '1'): SysctlReading[] => [
  { key: ['net', 'ipv4', 'conf', 'eth0', 'forwarding'].join('.'), access: 'readable', value: forwarding },
  { key: 'net.ipv4.tcp_rmem', access: 'readable', value: ` 4096\t131072\t6291456 `.trim() },
  { key: 'net.ipv6.conf.eth0.stable_secret', access: 'unreadable', value: null, error: 'EIO' },
  { key: 'net.core.bpf_jit_harden', access: 'write-only', value: null },
  { key: `net.ipv4.conf.veth${n}.forwarding`, access: 'readable', value: '0' },
];

test('pooled readings equal the readings they stand for, in the same order', () => {
  const pool = new ReadingPool();
  const readings = podReadings(1);
  const shared = pool.shareAll(readings);
  assert.notEqual(shared, readings);
  assert.deepEqual(shared, readings);
});

test('sets with the same readings share one object for each', () => {
  const pool = new ReadingPool();
  const first = pool.shareAll(podReadings(1));
  const second = pool.shareAll(podReadings(2));
  assert.equal(pool.size, 6, 'five readings, and the other interface');
  for (const index of [0, 1, 2, 3]) assert.equal(second[index], first[index]);
  assert.notEqual(second[4], first[4]);
});

test('a reading that differs in its value, access or error is a reading of its own', () => {
  const pool = new ReadingPool();
  const first = pool.shareAll(podReadings(1));
  const changed = pool.shareAll(podReadings(1, '0'));
  assert.notEqual(changed[0], first[0]);
  assert.equal(changed[0]?.value, '0');
  assert.equal(changed[0]?.key, first[0]?.key, 'the key string is shared');
  const denied = pool.share({
    key: 'net.ipv6.conf.eth0.stable_secret',
    access: 'unreadable',
    value: null,
    error: 'EACCES',
  });
  assert.notEqual(denied, first[2]);
  assert.equal(denied.error, 'EACCES');
  assert.equal(pool.size, 7);
});

test('the pool is rebuilt from the readings still kept once it has doubled', () => {
  const pool = new ReadingPool();
  const kept: SysctlReading[][] = [];
  for (let n = 0; n < 10; n++) kept.push(pool.shareAll(podReadings(n)));
  pool.trim(kept, 4);
  assert.equal(pool.size, 4 + 10, 'four common readings, ten interface readings');
  // Interfaces come and go: only the last set is kept.
  for (let n = 10; n < 40; n++) pool.shareAll(podReadings(n));
  const last = pool.shareAll(podReadings(39));
  pool.trim([last], 4);
  assert.equal(pool.size, 5);
  const again = pool.shareAll(podReadings(39));
  for (const [index, reading] of again.entries())
    assert.equal(reading, last[index], 'kept objects stay pooled');
});

test('a small pool is not rebuilt', () => {
  const pool = new ReadingPool();
  pool.shareAll(podReadings(1));
  pool.trim([], 4096);
  assert.equal(pool.size, 5);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StringPool } from '../../../src/domain/history/string-pool.js';

const podState = (n: number): Map<string, string | null> =>
  new Map([
    ['net.ipv4.conf.eth0.forwarding', '1'],
    ['net.ipv4.tcp_rmem', '4096\t131072\t6291456'],
    ['net.ipv6.conf.eth0.stable_secret', null],
    [`net.ipv4.conf.veth${n}.forwarding`, '0'],
  ]);

test('a shared state has the same keys and values, unreadable ones included', () => {
  const pool = new StringPool();
  const state = podState(1);
  const shared = pool.shareState(state);
  assert.notEqual(shared, state);
  assert.deepEqual([...shared], [...state]);
});

test('sets with the same keys and values add nothing to the pool', () => {
  const pool = new StringPool();
  pool.shareState(podState(1));
  const size = pool.size;
  pool.shareState(new Map([...podState(1)].map(([k, v]) => [`${k} `.trim(), v])));
  assert.equal(pool.size, size);
  pool.shareState(podState(2));
  assert.equal(pool.size, size + 1, 'only the other interface name is new');
});

test('the pool is rebuilt from the states still kept once it has doubled', () => {
  const pool = new StringPool();
  const kept: Map<string, string | null>[] = [];
  for (let n = 0; n < 10; n++) kept.push(pool.shareState(podState(n)));
  pool.trim(kept, 4);
  const afterRebuild = pool.size;
  assert.equal(afterRebuild, 3 + 10 + 3, 'three common keys, ten interface keys, three values');
  // Interfaces come and go: only the last state is kept.
  for (let n = 10; n < 40; n++) pool.shareState(podState(n));
  pool.trim([podState(39)], 4);
  assert.equal(pool.size, 4 + 3, 'the four keys and three values of the one state kept');
});

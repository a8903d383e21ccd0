import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompactState } from '../../../src/domain/history/compact-state.js';
import type { ValueState } from '../../../src/domain/history/diff-value-maps.js';
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
  const kept: ValueState[] = [];
  for (let n = 0; n < 10; n++) kept.push(pool.shareState(podState(n)));
  pool.trim(kept, 4);
  const afterRebuild = pool.size;
  assert.equal(afterRebuild, 3 + 10 + 3, 'three common keys, ten interface keys, three values');
  // Interfaces come and go: only the last state is kept.
  for (let n = 10; n < 40; n++) pool.shareState(podState(n));
  pool.trim([podState(39)], 4);
  assert.equal(pool.size, 4 + 3, 'the four keys and three values of the one state kept');
});

test('a shared state reads like the map it stands for, in the same order', () => {
  const pool = new StringPool();
  const state = podState(1);
  const shared = pool.shareState(state);
  assert.equal(shared.size, state.size);
  assert.deepEqual([...shared.entries()], [...state.entries()]);
  assert.deepEqual([...shared.keys()], [...state.keys()]);
  assert.deepEqual([...shared.values()], [...state.values()]);
  for (const [key, value] of state) {
    assert.equal(shared.get(key), value);
    assert.equal(shared.has(key), true);
  }
  assert.equal(shared.get('net.core.somaxconn'), undefined);
  assert.equal(shared.has('net.core.somaxconn'), false);
  const seen: [string, string | null][] = [];
  shared.forEach((value, key, map) => {
    assert.equal(map, shared);
    seen.push([key, value]);
  });
  assert.deepEqual(seen, [...state]);
  assert.deepEqual(new Map(shared), state);
});

test('states with the same keys in the same order share one key order', () => {
  const pool = new StringPool();
  const first = pool.shareState(podState(1));
  const again = pool.shareState(new Map([...podState(1)].map(([k, v]) => [k, v === '1' ? '0' : v])));
  assert.equal(again.order, first.order);
  assert.equal(again.get('net.ipv4.conf.eth0.forwarding'), '0');
  assert.equal(first.get('net.ipv4.conf.eth0.forwarding'), '1', 'each state keeps its own values');
  assert.notEqual(pool.shareState(podState(2)).order, first.order, 'another interface: other keys');
  const reordered = new Map([...podState(1)].reverse());
  assert.notEqual(pool.shareState(reordered).order, first.order, 'same keys in another order');
});

test('key orders no state keeps any more are let go once they have doubled', () => {
  const pool = new StringPool();
  let last: CompactState | undefined;
  const firsts = [pool.shareState(podState(0))];
  for (let n = 1; n < 40; n++) last = pool.shareState(podState(n));
  assert.ok(last);
  pool.trim([firsts[0] as CompactState, last], 4096, 4);
  // The orders kept: those of the two states; a state with a known order finds it, a forgotten one is new.
  assert.equal(pool.shareState(podState(0)).order, firsts[0]?.order);
  assert.equal(pool.shareState(podState(39)).order, last.order);
  assert.notEqual(pool.shareState(podState(20)).order, undefined);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffValueMaps } from '../../../src/domain/history/diff-value-maps.js';

test('diffValueMaps reports changed, added and removed keys, sorted, and nothing for equal values', () => {
  const before = new Map<string, string | null>([
    ['net.core.somaxconn', '4096'],
    ['net.ipv4.tcp_fin_timeout', '60'],
    ['net.ipv6.conf.eth1.mtu', '1500'],
    ['net.ipv6.conf.all.stable_secret', null],
  ]);
  const after = new Map<string, string | null>([
    ['net.core.somaxconn', '1024'],
    ['net.ipv4.tcp_fin_timeout', '60'],
    ['net.ipv6.conf.all.stable_secret', null],
    ['net.ipv6.conf.eth2.mtu', '9000'],
  ]);
  assert.deepEqual(diffValueMaps(before, after), [
    { key: 'net.core.somaxconn', kind: 'changed', before: '4096', after: '1024' },
    { key: 'net.ipv6.conf.eth1.mtu', kind: 'removed', before: '1500', after: undefined },
    { key: 'net.ipv6.conf.eth2.mtu', kind: 'added', before: undefined, after: '9000' },
  ]);
});

test('diffValueMaps treats a key becoming unreadable as a change', () => {
  const result = diffValueMaps(new Map([['k', 'x']]), new Map([['k', null]]));
  assert.deepEqual(result, [{ key: 'k', kind: 'changed', before: 'x', after: null }]);
});

test('diffValueMaps of two empty states is empty', () => {
  assert.deepEqual(diffValueMaps(new Map(), new Map()), []);
});

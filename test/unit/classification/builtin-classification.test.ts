import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ABSENT_IN_CHILD_NET_KEYS,
  MIRRORED_NET_KEYS,
  NAMESPACED_NON_NET_KEYS,
} from '../../../src/domain/classification/builtin-classification.js';
import { classifyKey } from '../../../src/domain/classification/classify-key.js';
import { loadProcSysFixture } from '../../helpers/proc-fixture.js';

const fixture = loadProcSysFixture();

test('the built-in lists have the sizes KERNEL.md gives for 6.18', () => {
  assert.equal(ABSENT_IN_CHILD_NET_KEYS.size, 104);
  assert.equal(MIRRORED_NET_KEYS.size, 8);
  const sizes = Object.fromEntries(
    Object.entries(NAMESPACED_NON_NET_KEYS).map(([scope, keys]) => [scope, keys.length]),
  );
  assert.deepEqual(sizes, { ipc: 17, uts: 6, user: 12, pid: 3 });
});

test('the built-in lists do not overlap', () => {
  const all = [
    ...ABSENT_IN_CHILD_NET_KEYS,
    ...MIRRORED_NET_KEYS,
    ...Object.values(NAMESPACED_NON_NET_KEYS).flat(),
  ];
  assert.equal(new Set(all).size, all.length);
});

const LISTS: readonly [name: string, keys: Iterable<string>][] = [
  ['absent', ABSENT_IN_CHILD_NET_KEYS],
  ['mirrored', MIRRORED_NET_KEYS],
  ...Object.entries(NAMESPACED_NON_NET_KEYS),
];

for (const [name, keys] of LISTS) {
  test(`every ${name} key exists on the captured kernel (no typos)`, () => {
    for (const key of keys) assert.ok(fixture.has(key), key);
  });
}

test('each listed key classifies as its list says', () => {
  for (const key of ABSENT_IN_CHILD_NET_KEYS) assert.equal(classifyKey(key).childVisibility, 'absent', key);
  for (const key of MIRRORED_NET_KEYS) assert.equal(classifyKey(key).childVisibility, 'mirrored', key);
  for (const [scope, keys] of Object.entries(NAMESPACED_NON_NET_KEYS)) {
    for (const key of keys)
      assert.deepEqual([classifyKey(key).scope, classifyKey(key).childVisibility], [scope, 'isolated']);
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonDepth } from '../../../src/common/json-body-guards.js';

test('jsonDepth measures nesting without recursion, stopping past the limit', () => {
  assert.equal(jsonDepth('text', 32), 0);
  assert.equal(jsonDepth({ a: 1 }, 32), 1);
  assert.equal(jsonDepth({ a: { b: [1, { c: null }] } }, 32), 4);
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.equal(jsonDepth(deep, 32), 33, 'a 100 000-level body is measured without a stack overflow');
});

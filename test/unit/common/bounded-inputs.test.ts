import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boundedErrorMessage } from '../../../src/common/bounded-error-message.js';
import { jsonValueCount } from '../../../src/common/json-body-guards.js';

test('an error message lists at most 20 problems, each at most 500 characters, then how many more', () => {
  const problems = Array.from({ length: 60_000 }, (_, i) => `property k${i} should not exist`);
  const bounded = boundedErrorMessage(problems) as string[];
  assert.equal(bounded.length, 21);
  assert.deepEqual(bounded.slice(0, 2), ['property k0 should not exist', 'property k1 should not exist']);
  assert.equal(bounded[20], '… and 59980 more problems');
  assert.deepEqual(boundedErrorMessage(problems.slice(0, 21)), [
    ...problems.slice(0, 20),
    '… and 1 more problem',
  ]);
  assert.deepEqual(boundedErrorMessage(problems.slice(0, 3)), problems.slice(0, 3));
  const long = boundedErrorMessage([`property ${'x'.repeat(10_000)} should not exist`]) as string[];
  assert.equal(long[0]?.length, 501);
  assert.equal((boundedErrorMessage('y'.repeat(100_000)) as string).length, 8193);
  assert.equal(boundedErrorMessage('keys: at most 100 patterns'), 'keys: at most 100 patterns');
});

test('jsonValueCount counts every value and stops once past the limit', () => {
  assert.equal(jsonValueCount({ a: 1, b: [1, 2, { c: null }] }, 100), 7);
  assert.equal(jsonValueCount('x', 100), 1);
  const wide = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, i]));
  assert.equal(jsonValueCount(wide, 1000), 1001);
});

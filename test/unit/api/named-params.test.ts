import assert from 'node:assert/strict';
import { test } from 'node:test';
import { positionalParams } from '../../../src/storage/named-params.js';

test('named parameters become positional ones, in order, repeated as often as they appear', () => {
  assert.deepEqual(
    positionalParams('SELECT * FROM t WHERE a > :from AND a <= :to OR b = :from LIMIT :limit', {
      from: 1,
      to: 2,
      limit: 3,
    }),
    { sql: 'SELECT * FROM t WHERE a > ? AND a <= ? OR b = ? LIMIT ?', params: [1, 2, 1, 3] },
  );
});

test('a parameter used but not given is an error, not a NULL', () => {
  assert.throws(
    () => positionalParams('SELECT :at, :cursor', { at: 1 }),
    /SQL parameter :cursor has no value/,
  );
});

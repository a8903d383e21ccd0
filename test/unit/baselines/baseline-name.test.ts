import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidBaselineName } from '../../../src/domain/baselines/baseline-name.js';

test('baseline names: letters, digits, dot, underscore, hyphen, 1 to 64 characters', () => {
  for (const ok of ['dev', 'prod-like', 'staging_2026.11', 'a', 'x'.repeat(64)])
    assert.ok(isValidBaselineName(ok), ok);
  for (const bad of ['', 'x'.repeat(65), 'a b', '../etc', '.', '..', 'dev/1', 'é', 'dev\n']) {
    assert.equal(isValidBaselineName(bad), false, JSON.stringify(bad));
  }
});

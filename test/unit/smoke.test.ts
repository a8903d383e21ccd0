import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { repoPath } from '../helpers/repo-path.js';

test('repoPath resolves the source tree from the compiled test', () => {
  assert.ok(existsSync(repoPath('package.json')));
});

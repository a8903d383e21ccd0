import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { validateEnvironment } from '../../../src/config/env.schema.js';

test('configured and default paths are made absolute against the working directory at start', () => {
  const env = validateEnvironment({ DB_PATH: 'state/ledger.sqlite', PROC_ROOT: 'host/proc' });
  assert.equal(env.DB_PATH, path.resolve('state/ledger.sqlite'));
  assert.equal(env.PROC_ROOT, path.resolve('host/proc'));
  const defaults = validateEnvironment({});
  assert.equal(defaults.DB_PATH, path.resolve('data/kernel-ledger.sqlite'));
  for (const name of ['PROC_ROOT', 'DOCKER_SOCKET', 'NETNS_DIR', 'KMSG_PATH'] as const) {
    assert.ok(path.isAbsolute(defaults[name]), `${name}=${defaults[name]}`);
  }
  assert.equal(defaults.PROC_ROOT, '/proc');
});

// First, as in main.ts and cli.ts: before anything loads typeorm or class-validator.
import {
  leaveUnusedModulesUnloaded,
  UNUSED_MODULES,
  unusedModuleFile,
} from '../../../src/common/unused-modules.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const require = createRequire(import.meta.url);

test('the agent opens its SQLite database through typeorm with the other drivers left unloaded', async () => {
  const { DataSource } = await import('typeorm');
  const { dataSourceOptions } = await import('../../../src/storage/data-source-options.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-unused-modules-'));
  try {
    const source = new DataSource(dataSourceOptions({ dbPath: path.join(dir, 'agent.sqlite') }));
    await source.initialize();
    try {
      const rows: unknown = await source.query('SELECT count(*) AS n FROM migrations');
      assert.ok(Array.isArray(rows) && rows.length === 1, 'migrations ran and the table answers');
    } finally {
      await source.destroy();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Each unused driver is its placeholder in the module cache, and none of the files it would load is there.
  const cached = Object.keys(require.cache);
  for (const unused of UNUSED_MODULES.filter((u) => u.requiredBy === 'typeorm')) {
    const file = unusedModuleFile(unused);
    assert.equal(require.cache[file]?.loaded, true, file);
    const folder = path.dirname(file);
    assert.deepEqual(
      // MssqlParameter (a value class of a few lines) is loaded by typeorm's index and migration executor.
      cached.filter((f) => f.startsWith(`${folder}/`) && !f.endsWith('/MssqlParameter.js')),
      [file],
      `${folder}: only the placeholder`,
    );
  }
  assert.throws(
    () => new DataSource({ type: 'postgres', host: '127.0.0.1' }),
    /^Error: typeorm: \.\/driver\/postgres\/PostgresDriver is not loaded: kernel-ledger does not use PostgreSQL databases$/,
  );
  assert.deepEqual(leaveUnusedModulesUnloaded(), [], 'a second call changes nothing');
});

test('class-validator validates without libphonenumber-js; a phone number is never valid', async () => {
  const { isInt, isPhoneNumber } = await import('class-validator');
  assert.equal(isInt(3), true);
  assert.equal(isInt('3'), false);
  // class-validator catches the placeholder's error: @IsPhoneNumber would refuse every value, not pass it.
  assert.equal(isPhoneNumber('+41 44 668 18 00'), false);
  const phone = UNUSED_MODULES.find((u) => u.module === 'libphonenumber-js/max');
  assert.ok(phone);
  assert.equal(require.cache[unusedModuleFile(phone)]?.loaded, true);
  assert.equal(
    Object.keys(require.cache).filter((f) => f.includes('/node_modules/libphonenumber-js/')).length,
    1,
    'no file of libphonenumber-js but the placeholder',
  );
});

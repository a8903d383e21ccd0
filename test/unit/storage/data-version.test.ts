import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { dataVersion, VersionedCache } from '../../../src/storage/data-version.js';

let dir: string;
let dataSource: DataSource;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kl-data-version-'));
  dataSource = new DataSource({
    type: 'better-sqlite3',
    database: path.join(dir, 'db.sqlite'),
    synchronize: false,
    logging: false,
  });
  await dataSource.initialize();
  await dataSource.query(`CREATE TABLE "t" ("v" INTEGER)`);
});

after(async () => {
  await dataSource.destroy();
  rmSync(dir, { recursive: true, force: true });
});

test("the data version changes with this connection's writes and another connection's commits, not with reads", async () => {
  const first = dataVersion(dataSource);
  assert.notEqual(first, null);
  await dataSource.query(`SELECT count(*) FROM "t"`);
  assert.equal(dataVersion(dataSource), first, 'a read leaves it');
  await dataSource.query(`INSERT INTO "t" VALUES (1)`);
  const afterOwn = dataVersion(dataSource);
  assert.notEqual(afterOwn, first, "this connection's write");
  const other = new Database(path.join(dir, 'db.sqlite'));
  try {
    other.prepare(`INSERT INTO "t" VALUES (2)`).run();
  } finally {
    other.close();
  }
  assert.notEqual(dataVersion(dataSource), afterOwn, "another connection's commit");
});

test('nothing is versioned inside a transaction: its reads may see rows that roll back', async () => {
  await dataSource
    .transaction(async (em) => {
      await em.query(`INSERT INTO "t" VALUES (3)`);
      assert.equal(dataVersion(dataSource), null);
      throw new Error('roll back');
    })
    .catch(() => undefined);
  assert.notEqual(dataVersion(dataSource), null);
});

test('a versioned cache answers for its version only, keeps the last few, and keeps nothing for a null version', () => {
  const cache = new VersionedCache<number>(2);
  cache.set('1:1', 'a', 1);
  cache.set('1:1', 'b', 2);
  assert.equal(cache.get('1:1', 'a'), 1);
  cache.set('1:1', 'c', 3);
  assert.equal(cache.get('1:1', 'a'), undefined, 'the oldest entry leaves');
  assert.equal(cache.get('1:1', 'b'), 2);
  assert.equal(cache.get('1:1', 'c'), 3);
  assert.equal(cache.get('1:2', 'c'), undefined, 'another version');
  cache.set('1:2', 'd', 4);
  assert.equal(cache.get('1:1', 'c'), undefined, 'a new version empties it');
  cache.set(null, 'e', 5);
  assert.equal(cache.get(null, 'e'), undefined);
});

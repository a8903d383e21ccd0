import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { DataSource, type EntityManager } from 'typeorm';
import { dataSourceOptions } from '../../src/storage/data-source-options.js';
import { storageState } from '../../src/storage/storage-state.js';
import { runWriteTransaction } from '../../src/storage/write-transaction.js';
import { tempDatabase } from '../helpers/agent-process.js';

interface Handle {
  inTransaction: boolean;
  pragma(source: string, options?: { simple: boolean }): unknown;
}

const insertBaseline = (em: EntityManager, name: string, size: number): Promise<unknown> =>
  em.query(
    `INSERT INTO "baselines" ("name", "imported_at", "hostname", "kernel_release", "at", "format_version",
       "key_count", "namespace_count", "bundle") VALUES (?, 0, 'h', 'k', 0, 1, 0, 0, ?)`,
    [name, 'x'.repeat(size)],
  );

/**
 * The sequence that left TypeORM 1.1's shared query runner stuck: a "database or disk is full" that SQLite
 * rolls back by itself (TypeORM's ROLLBACK then fails and its depth stays at 1), then an ordinary failure
 * (TypeORM rolls back to a savepoint, leaving the outer one open for ever). With `dataSource.transaction`
 * every later write reported success and none reached the file; through runWriteTransaction each failure
 * ends the transaction, and everything the writer was told is committed is in the file.
 */
test('after a disk-full and an ordinary failure, every commit reaches the file', async () => {
  const db = tempDatabase('write-tx');
  const dataSource = new DataSource({ ...dataSourceOptions({ dbPath: db.dbPath }) });
  await dataSource.initialize();
  try {
    const conn = (dataSource.driver as unknown as { databaseConnection: Handle }).databaseConnection;
    const committed: string[] = [];
    const write = async (name: string, size = 100, fail?: Error): Promise<void> => {
      await runWriteTransaction(dataSource, async (em) => {
        await insertBaseline(em, name, size);
        if (fail) throw fail;
      });
      committed.push(name);
    };

    await write('before');
    conn.pragma(`max_page_count = ${Number(conn.pragma('page_count', { simple: true }))}`);
    await assert.rejects(write('full', 50_000), /database or disk is full/);
    assert.equal(conn.inTransaction, false);
    assert.equal(storageState(dataSource).health.status().writable, false);
    conn.pragma('max_page_count = 1073741823');

    await write('after-full');
    assert.equal(storageState(dataSource).health.status().writable, true);
    await assert.rejects(write('work-fails', 100, new Error('work failed')), /work failed/);
    assert.equal(conn.inTransaction, false, 'the connection is left inside a transaction');
    assert.equal(
      storageState(dataSource).health.status().writable,
      true,
      'a failed statement of the work is no storage fault',
    );
    for (let i = 0; i < 5; i++) await write(`later-${i}`);
    assert.equal(conn.inTransaction, false);

    const outside = new Database(db.dbPath, { readonly: true });
    try {
      const names = (
        outside.prepare('SELECT name FROM baselines ORDER BY id').all() as { name: string }[]
      ).map((r) => r.name);
      assert.deepEqual(names, committed);
    } finally {
      outside.close();
    }
  } finally {
    await dataSource.destroy();
    db.cleanup();
  }
});

test('the same sequence through dataSource.transaction loses the later commits (the fault this guards against)', async () => {
  const db = tempDatabase('write-tx-typeorm');
  const dataSource = new DataSource({ ...dataSourceOptions({ dbPath: db.dbPath }) });
  await dataSource.initialize();
  try {
    const conn = (dataSource.driver as unknown as { databaseConnection: Handle }).databaseConnection;
    const write = (name: string, size = 100, fail?: Error): Promise<void> =>
      dataSource.transaction(async (em) => {
        await insertBaseline(em, name, size);
        if (fail) throw fail;
      });
    await write('before');
    conn.pragma(`max_page_count = ${Number(conn.pragma('page_count', { simple: true }))}`);
    await assert.rejects(write('full', 50_000));
    conn.pragma('max_page_count = 1073741823');
    await assert.rejects(write('work-fails', 100, new Error('work failed')));
    for (let i = 0; i < 5; i++) await write(`later-${i}`);
    assert.equal(conn.inTransaction, true, 'TypeORM 1.1 no longer sticks: this guard may be unnecessary');

    // The next write through the agent's primitive rolls the stray transaction back and starts clean.
    await runWriteTransaction(dataSource, (em) => insertBaseline(em, 'clean', 100));
    assert.equal(conn.inTransaction, false);
    const outside = new Database(db.dbPath, { readonly: true });
    try {
      const names = (
        outside.prepare('SELECT name FROM baselines ORDER BY id').all() as { name: string }[]
      ).map((r) => r.name);
      assert.deepEqual(names, ['before', 'clean']);
    } finally {
      outside.close();
    }
  } finally {
    await dataSource.destroy();
    db.cleanup();
  }
});

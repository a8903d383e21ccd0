import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describeFault,
  isStorageFault,
  StorageWriteError,
  StorageWriteFault,
} from '../../../src/storage/storage-write.error.js';
import { LOCK_WAIT_UNHEALTHY_MS, StorageWriteHealth } from '../../../src/storage/write-health.js';

test('one failed write makes storage unwritable until the next commit, which reports the outage', () => {
  const health = new StorageWriteHealth();
  assert.equal(health.problem(0), null);
  assert.equal(health.failed('SQLITE_FULL: database or disk is full', 1000), true);
  assert.equal(health.failed('SQLITE_FULL: database or disk is full', 2000), false, 'the same outage');
  assert.equal(health.problem(2500), 'SQLITE_FULL: database or disk is full');
  assert.deepEqual(
    { ...health.status(), lastCommitAt: null },
    {
      writable: false,
      reason: 'SQLITE_FULL: database or disk is full',
      failingSince: new Date(1000).toISOString(),
      consecutiveFailures: 2,
      lastCommitAt: null,
      waitingForLockSince: null,
    },
  );
  const { recoveredFrom } = health.committed(3000);
  assert.deepEqual(recoveredFrom, { reason: 'SQLITE_FULL: database or disk is full', since: 1000, count: 2 });
  assert.equal(health.problem(3000), null);
  assert.equal(health.status().lastCommitAt, new Date(3000).toISOString());
});

test('waiting for another process lock is a problem only after a while', () => {
  const health = new StorageWriteHealth();
  health.waitingForLock(10_000);
  assert.equal(health.problem(10_000 + LOCK_WAIT_UNHEALTHY_MS - 1), null);
  assert.match(
    health.problem(10_000 + LOCK_WAIT_UNHEALTHY_MS) ?? '',
    /another process has held the database write lock for 5 s/,
  );
  health.waitingForLock(null);
  assert.equal(health.problem(60_000), null);
});

test('storage faults are told from mistakes in a statement', () => {
  const sqlite = (code: string, message: string): Error => Object.assign(new Error(message), { code });
  for (const code of [
    'SQLITE_FULL',
    'SQLITE_IOERR_WRITE',
    'SQLITE_READONLY',
    'SQLITE_CORRUPT',
    'SQLITE_BUSY',
  ])
    assert.equal(isStorageFault(sqlite(code, 'x')), true, code);
  for (const code of ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR', 'SQLITE_FULLY_MADE_UP_NOT'])
    assert.equal(isStorageFault(sqlite(code, 'x')), false, code);
  assert.equal(isStorageFault(new Error('work failed')), false);
  assert.equal(isStorageFault(new StorageWriteError(StorageWriteFault.FileGone, 'gone')), true);
  assert.equal(
    describeFault(sqlite('SQLITE_FULL', 'database or disk is full')),
    'SQLITE_FULL: database or disk is full',
  );
  assert.equal(describeFault(new Error('plain')), 'plain');
});

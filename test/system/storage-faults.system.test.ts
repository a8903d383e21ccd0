import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { tempDatabase } from '../helpers/agent-process.js';
import { checkDatabase } from '../helpers/sqlite-integrity.js';
import { mountSmallTmpfs } from '../helpers/small-tmpfs.js';
import { missingFromFile, snapshotIdsInFile, StorageFaultAgent } from '../helpers/storage-fault-agent.js';
import { needsRoot } from '../helpers/privileges.js';

/** One snapshot interval (1 s) plus the snapshot in flight and the poll: "within one interval". */
const TRUTH_WITHIN_MS = 3000;

test('a tmpfs that fills up: health down within one interval, nothing committed lost, recovery when freed', async (t) => {
  if (!needsRoot(t)) return;
  const fs = mountSmallTmpfs(16);
  let fault: StorageFaultAgent | undefined;
  try {
    const dbPath = path.join(fs.dir, 'ledger.sqlite');
    fault = await StorageFaultAgent.start(dbPath);
    await fault.moreSnapshots(3);
    const beforeOutage = await fault.servedIds();

    fs.fill();
    const down = await fault.healthUntil((_, b) => b.details.storage?.status === 'down', 'storage down');
    assert.ok(down.ms <= TRUTH_WITHIN_MS, `health said so after ${down.ms} ms`);
    assert.match(down.body.storage.problem ?? '', /SQLITE_FULL|disk is full|SQLITE_IOERR/);
    // Several failed snapshots in a row, and the agent never serves what the file does not hold.
    await fault.healthUntil((_, b) => b.storage.consecutiveFailures >= 3, '3 failed writes');
    assert.deepEqual(missingFromFile(await fault.servedIds(), snapshotIdsInFile(dbPath)), []);

    fs.free();
    const up = await fault.healthUntil((_, b) => b.details.storage?.status === 'up', 'storage up');
    assert.ok(up.ms <= TRUTH_WITHIN_MS, `recovered after ${up.ms} ms`);
    await fault.moreSnapshots(3);
    const served = await fault.servedIds();
    await fault.agent.stop();

    const inFile = snapshotIdsInFile(dbPath);
    assert.deepEqual(missingFromFile(served, inFile), [], 'a snapshot the agent served is not in the file');
    assert.deepEqual(missingFromFile(beforeOutage, inFile), []);
    assert.deepEqual(checkDatabase(dbPath).integrity, ['ok']);
  } finally {
    await fault?.agent?.stop();
    fault?.cleanup();
    fs.unmount();
  }
});

/** On ext4 (the temporary folder), where writes through an open descriptor fail with EPERM; tmpfs lets them through. */
test('chattr +i on the database folder and files, then back: health down, then the agent recovers by itself', async (t) => {
  if (!needsRoot(t)) return;
  const db = tempDatabase('chattr');
  let fault: StorageFaultAgent | undefined;
  const files = (dbPath: string): string[] => [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, db.dir];
  let immutable: string[] = [];
  try {
    const dbPath = db.dbPath;
    fault = await StorageFaultAgent.start(dbPath);
    await fault.moreSnapshots(2);

    immutable = files(dbPath);
    execFileSync('chattr', ['+i', ...immutable]);
    const down = await fault.healthUntil((_, b) => b.details.storage?.status === 'down', 'storage down');
    assert.ok(down.ms <= TRUTH_WITHIN_MS, `health said so after ${down.ms} ms`);
    await fault.healthUntil((_, b) => b.storage.consecutiveFailures >= 2, '2 failed writes');

    execFileSync('chattr', ['-i', ...immutable]);
    immutable = [];
    const up = await fault.healthUntil((_, b) => b.details.storage?.status === 'up', 'storage up');
    assert.ok(up.ms <= TRUTH_WITHIN_MS, `recovered after ${up.ms} ms`);
    await fault.moreSnapshots(2);
    const served = await fault.servedIds();
    await fault.agent.stop();
    assert.deepEqual(missingFromFile(served, snapshotIdsInFile(dbPath)), []);
    assert.deepEqual(checkDatabase(dbPath).integrity, ['ok']);
  } finally {
    if (immutable.length > 0) execFileSync('chattr', ['-i', ...immutable]);
    await fault?.agent?.stop();
    fault?.cleanup();
    db.cleanup();
  }
});

test('SIGTERM while the tmpfs is full: every snapshot the agent served is in the file afterwards', async (t) => {
  if (!needsRoot(t)) return;
  const fs = mountSmallTmpfs(8);
  let fault: StorageFaultAgent | undefined;
  try {
    const dbPath = path.join(fs.dir, 'ledger.sqlite');
    fault = await StorageFaultAgent.start(dbPath);
    await fault.moreSnapshots(4);
    fs.fill();
    await fault.healthUntil((_, b) => b.storage.consecutiveFailures >= 2, '2 failed writes');
    const served = await fault.servedIds();
    await fault.agent.stop();
    fs.free();
    const inFile = snapshotIdsInFile(dbPath);
    assert.deepEqual(missingFromFile(served, inFile), [], 'a snapshot the agent served is not in the file');
    assert.ok(inFile.length >= 4);
    assert.deepEqual(checkDatabase(dbPath).integrity, ['ok']);
  } finally {
    await fault?.agent?.stop();
    fault?.cleanup();
    fs.unmount();
  }
});

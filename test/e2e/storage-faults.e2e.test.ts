import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, renameSync, rmSync } from 'node:fs';
import { test } from 'node:test';
import { tempDatabase } from '../helpers/agent-process.js';
import { missingFromFile, snapshotIdsInFile, StorageFaultAgent } from '../helpers/storage-fault-agent.js';

const TRUTH_WITHIN_MS = 3000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('the database file deleted while running: health down at once, a clear log line, no more commits', async () => {
  const db = tempDatabase('deleted');
  let fault: StorageFaultAgent | undefined;
  try {
    fault = await StorageFaultAgent.start(db.dbPath);
    await fault.moreSnapshots(2);
    rmSync(db.dbPath);
    const down = await fault.healthUntil((_, b) => b.details.storage?.status === 'down', 'storage down');
    assert.ok(down.ms <= TRUTH_WITHIN_MS, `health said so after ${down.ms} ms`);
    assert.match(down.body.storage.fileFault ?? '', /was deleted while the agent had it open/);
    const last = (await fault.servedIds())[0];
    await sleep(2500);
    assert.equal((await fault.servedIds())[0], last, 'snapshots still committed into the unlinked file');
    assert.match(fault.agent.output(), /ledger\.sqlite was deleted while the agent had it open/);
    assert.equal((await fault.health()).body.details.storage?.status, 'down');
  } finally {
    await fault?.agent?.stop();
    fault?.cleanup();
    db.cleanup();
  }
});

test('the database file replaced by another file while running: health down, the new file untouched', async () => {
  const db = tempDatabase('replaced');
  let fault: StorageFaultAgent | undefined;
  try {
    fault = await StorageFaultAgent.start(db.dbPath);
    await fault.moreSnapshots(2);
    const copy = `${db.dbPath}.restored`;
    copyFileSync(db.dbPath, copy);
    renameSync(copy, db.dbPath);
    const before = snapshotIdsInFile(db.dbPath);
    const down = await fault.healthUntil((_, b) => b.details.storage?.status === 'down', 'storage down');
    assert.ok(down.ms <= TRUTH_WITHIN_MS, `health said so after ${down.ms} ms`);
    assert.match(down.body.storage.fileFault ?? '', /was replaced by another file/);
    await sleep(2000);
    assert.deepEqual(snapshotIdsInFile(db.dbPath), before);
  } finally {
    await fault?.agent?.stop();
    fault?.cleanup();
    db.cleanup();
  }
});

/** Another process holding the write lock (BEGIN EXCLUSIVE) for `ms` milliseconds; resolves once it holds it. */
async function holdWriteLock(dbPath: string, ms: number): Promise<ChildProcess> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('BEGIN EXCLUSIVE');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', script, dbPath, String(ms)], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  return child;
}

test('an outside writer holding the lock for 10 s: the API keeps answering, health says so, the snapshot commits after', async (t) => {
  const db = tempDatabase('outside-lock');
  let fault: StorageFaultAgent | undefined;
  let holder: ChildProcess | undefined;
  try {
    fault = await StorageFaultAgent.start(db.dbPath);
    await fault.moreSnapshots(2);
    holder = await holdWriteLock(db.dbPath, 10_000);
    const released = new Promise((resolve) => holder?.once('exit', resolve));
    let slowest = 0;
    let sawDown = false;
    const until = Date.now() + 9000;
    while (Date.now() < until) {
      let started = Date.now();
      const health = await fault.health();
      slowest = Math.max(slowest, Date.now() - started);
      started = Date.now();
      await fault.servedIds();
      slowest = Math.max(slowest, Date.now() - started);
      if (health.body.details.storage?.status === 'down') {
        sawDown = true;
        assert.match(health.body.storage.problem ?? '', /another process has held the database write lock/);
      }
      await sleep(200);
    }
    t.diagnostic(`slowest API answer while the lock was held: ${slowest} ms`);
    assert.ok(slowest < 1000, `an API request took ${slowest} ms while the lock was held`);
    assert.ok(sawDown, 'health never said another process holds the lock');
    await released;
    const up = await fault.healthUntil((_, b) => b.details.storage?.status === 'up', 'storage up');
    assert.ok(up.ms <= TRUTH_WITHIN_MS, `recovered after ${up.ms} ms`);
    await fault.moreSnapshots(2);
    const served = await fault.servedIds();
    await fault.agent.stop();
    assert.deepEqual(missingFromFile(served, snapshotIdsInFile(db.dbPath)), []);
  } finally {
    holder?.kill('SIGKILL');
    await fault?.agent?.stop();
    fault?.cleanup();
    db.cleanup();
  }
});

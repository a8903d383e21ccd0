import assert from 'node:assert/strict';
import { closeSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { runAgentExpectingExit, tempDatabase } from '../helpers/agent-process.js';
import { FakeProcRoot, isolatedEnv } from '../helpers/fake-proc-root.js';
import { StorageFaultAgent } from '../helpers/storage-fault-agent.js';

/** The refusal is one line on stderr naming the file, with no stack trace. */
function assertOneLineRefusal(output: string, dbPath: string, fault: RegExp): void {
  const lines = output.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${output}`);
  assert.match(lines[0] ?? '', /^kernel-ledger: refusing to start, database file /);
  assert.ok(lines[0]?.includes(dbPath), 'the line names the file');
  assert.match(lines[0] ?? '', fault);
  assert.doesNotMatch(output, /\n\s+at /);
}

test('a file that is not a SQLite database: one line, exit 2, no retries', async () => {
  const db = tempDatabase('not-a-db');
  const proc = new FakeProcRoot({ 'fake.a': '1' });
  try {
    writeFileSync(db.dbPath, randomBytes(64 * 1024));
    const started = Date.now();
    const { code, output } = await runAgentExpectingExit(isolatedEnv(proc.dir, db.dbPath));
    assert.equal(code, 2);
    assertOneLineRefusal(output, db.dbPath, /SQLITE_NOTADB: file is not a database/);
    assert.ok(Date.now() - started < 10_000, 'the agent retried');
  } finally {
    proc.cleanup();
    db.cleanup();
  }
});

test('a database with damaged pages: one line naming the fault, exit 2, in both modes', async () => {
  const db = tempDatabase('damaged');
  try {
    const fault = await StorageFaultAgent.start(db.dbPath);
    try {
      await fault.moreSnapshots(3);
    } finally {
      await fault.agent.stop();
      fault.cleanup();
    }
    // Garbage over the b-tree header of the last pages (rows of the history tables).
    const pages = statSync(db.dbPath).size / 4096;
    const fd = openSync(db.dbPath, 'r+');
    try {
      for (let page = pages - 3; page < pages; page++)
        writeSync(fd, Buffer.alloc(12, 0xee), 0, 12, page * 4096);
    } finally {
      closeSync(fd);
    }
    const proc = new FakeProcRoot({ 'fake.a': '1' });
    try {
      for (const readOnly of [false, true]) {
        const { code, output } = await runAgentExpectingExit({
          ...isolatedEnv(proc.dir, db.dbPath),
          READ_ONLY: String(readOnly),
        });
        assert.equal(code, 2, output);
        assertOneLineRefusal(output, db.dbPath, /is damaged \(SQLite quick_check: .*[Pp]age \d+/);
      }
    } finally {
      proc.cleanup();
    }
  } finally {
    db.cleanup();
  }
});

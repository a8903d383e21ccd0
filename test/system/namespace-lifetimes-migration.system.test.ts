import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { QueryRunner } from 'typeorm';
import { NamespaceLifetimes1764470000000 } from '../../migrations/1764470000000-namespace-lifetimes.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { httpJson, waitFor, waitForStartupSnapshot } from '../helpers/http-json.js';
import { needsRoot } from '../helpers/privileges.js';
import { startAgent } from '../helpers/start-agent.js';

interface NamespaceRow {
  id: number;
  identity: string;
  first_seen_at: number;
  last_seen_at: number;
}

/** Rolls a database back to the schema before lifetimes, with the migration's own `down`. */
async function rollBack(dbPath: string): Promise<void> {
  const db = new Database(dbPath);
  try {
    const runner = { query: (sql: string) => Promise.resolve(db.exec(sql)) } as unknown as QueryRunner;
    await new NamespaceLifetimes1764470000000().down(runner);
    db.prepare(`DELETE FROM "migrations" WHERE "name" = ?`).run('NamespaceLifetimes1764470000000');
  } finally {
    db.close();
  }
}

test('a database from before lifetimes migrates keeping its history; a set already gone gets its end', async (t) => {
  if (!needsRoot(t)) return;
  const db = tempDatabase('lifetimes-migration');
  const holder = spawn('unshare', ['--net', '--ipc', '--uts', '--', 'sleep', '600'], { stdio: 'ignore' });
  try {
    const pid = holder.pid;
    assert.ok(pid !== undefined, 'unshare started');
    let goneId = 0;
    const first = await startAgent({ env: { DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' } });
    try {
      await waitForStartupSnapshot(first.baseUrl);
      const owned = await waitFor(
        async () => {
          await httpJson(first.baseUrl, '/api/v1/snapshots', { method: 'POST' });
          const listed = await httpJson<{ items: { id: number; owners: { pid: number | null }[] }[] }>(
            first.baseUrl,
            '/api/v1/namespaces',
          );
          return listed.body.items.find((n) => n.owners.some((o) => o.pid === pid))?.id;
        },
        30_000,
        'the unshare process’s set in a snapshot',
      );
      goneId = owned;
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
      const after = await httpJson(first.baseUrl, '/api/v1/snapshots', { method: 'POST' });
      assert.equal(after.status, 201);
    } finally {
      await first.close();
    }
    await rollBack(db.dbPath);
    const before = new Database(db.dbPath, { readonly: true });
    const rowsBefore = before.prepare(`SELECT * FROM "setting_values" ORDER BY "id"`).all();
    const setsBefore = before
      .prepare(`SELECT "id", "identity", "first_seen_at", "last_seen_at" FROM "namespaces" ORDER BY "id"`)
      .all() as NamespaceRow[];
    const snapshotTimes = (
      before.prepare(`SELECT "taken_at" FROM "snapshots" ORDER BY "taken_at"`).all() as { taken_at: number }[]
    ).map((s) => s.taken_at);
    before.close();

    const second = await startAgent({ env: { DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' } });
    try {
      await waitForStartupSnapshot(second.baseUrl);
      const gone = await httpJson<{
        id: number;
        endedAt: string | null;
        startedAt: string;
        firstSeenAt: string;
      }>(second.baseUrl, `/api/v1/namespaces/${goneId}`);
      assert.equal(gone.status, 200);
      const goneRow = setsBefore.find((s) => s.id === goneId);
      assert.ok(goneRow);
      const endedAt = snapshotTimes.find((taken) => taken > goneRow.last_seen_at);
      assert.equal(gone.body.endedAt, new Date(endedAt ?? 0).toISOString(), 'ended when first found gone');
      assert.equal(gone.body.startedAt, gone.body.firstSeenAt);
      const host = await httpJson<{ endedAt: string | null }>(second.baseUrl, '/api/v1/namespaces/host');
      assert.equal(host.body.endedAt, null);
    } finally {
      await second.close();
    }
    const migrated = new Database(db.dbPath, { readonly: true });
    try {
      const kept = migrated
        .prepare(`SELECT * FROM "setting_values" WHERE "id" <= ? ORDER BY "id"`)
        .all((rowsBefore.at(-1) as { id: number } | undefined)?.id ?? 0);
      assert.deepEqual(kept, rowsBefore, 'every value interval is kept as it was');
      const sets = migrated
        .prepare(
          `SELECT "id", "identity", "first_seen_at", "last_seen_at" FROM "namespaces" WHERE "id" <= ? ORDER BY "id"`,
        )
        .all(setsBefore.at(-1)?.id ?? 0) as NamespaceRow[];
      assert.deepEqual(
        sets.map((s) => [s.id, s.identity, s.first_seen_at]),
        setsBefore.map((s) => [s.id, s.identity, s.first_seen_at]),
        'every set is kept under its id and identity',
      );
    } finally {
      migrated.close();
    }
  } finally {
    if (holder.exitCode === null && holder.signalCode === null) holder.kill('SIGKILL');
    db.cleanup();
  }
});

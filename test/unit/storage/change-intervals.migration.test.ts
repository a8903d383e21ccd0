import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/all-migrations.js';

const MINE = 'ChangeIntervals1764475000000';

/**
 * A database written before the change intervals (every migration up to the one before): three snapshots at
 * 1000, 2000, 3000; the host seen from 1000 and a netns from 2000; a key that changed at 3000 on the host; a
 * conntrack burst credited with 126 suppressed callbacks and a net_ratelimit row that counted N.
 */
async function migratedOldDatabase(): Promise<DataSource> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'kl-migration-')), 'ledger.db');
  const open = async (migrations: typeof MIGRATIONS): Promise<DataSource> => {
    const source = new DataSource({ type: 'better-sqlite3', database: file, migrations, logging: false });
    await source.initialize();
    await source.runMigrations();
    return source;
  };
  const db = await open(
    MIGRATIONS.slice(
      0,
      MIGRATIONS.findIndex((m) => m.name === MINE),
    ),
  );
  for (const [id, at] of [
    [1, 1000],
    [2, 2000],
    [3, 3000],
  ]) {
    await db.query(
      `INSERT INTO "snapshots" ("id", "taken_at", "duration_ms", "keys_read", "namespaces_read", "change_count", "errors", "trigger")
       VALUES (?, ?, 1, 1, 1, 0, '[]', 'schedule')`,
      [id, at],
    );
  }
  await db.query(
    `INSERT INTO "namespaces" ("id", "kind", "identity", "first_seen_at", "last_seen_at")
     VALUES (1, 'host', 'host', 1000, 3000), (2, 'netns', 'net:4026532253/ipc:1/uts:2', 2000, 3000)`,
  );
  await db.query(
    `INSERT INTO "keys" ("id", "name", "scope", "volatile", "child_visibility", "classification_source", "access", "first_seen_at")
     VALUES (1, 'net.netfilter.nf_conntrack_max', 'global', 0, 'mirrored', 'probe', 'readable', 1000)`,
  );
  await db.query(
    `INSERT INTO "setting_values" ("namespace_id", "key_id", "value", "valid_from", "valid_to", "opened_by", "closed_by")
     VALUES (1, 1, '262144', 1000, 3000, 1, 3), (1, 1, '64', 3000, NULL, 3, NULL), (2, 1, '262144', 2000, NULL, 2, NULL)`,
  );
  await db.query(
    `INSERT INTO "kernel_events" ("signature", "key", "namespace_id", "net_inode", "first_at", "last_at", "count",
       "suppressed", "sample_line", "first_seq", "last_seq", "boot_id")
     VALUES ('conntrack-table-full', 'net.netfilter.nf_conntrack_max', 2, 4026532253, 2500, 2600, 146, 126,
             'nf_conntrack: nf_conntrack: table full in netns 4026532253, dropping packet', 777, 798, 'b'),
            ('net-ratelimit-suppressed', 'net.core.message_cost', NULL, NULL, 2900, 2900, 7, 7,
             'net_ratelimit: 7 callbacks suppressed', 900, 900, 'b')`,
  );
  await db.destroy();
  return open(MIGRATIONS);
}

test('existing rows get the interval (previous snapshot, their snapshot]; first readings get none', async () => {
  const db = await migratedOldDatabase();
  try {
    const rows: {
      namespace_id: number;
      value: string;
      changed_after: number | null;
      ended_after: number | null;
    }[] = await db.query(
      `SELECT "namespace_id", "value", "changed_after", "ended_after" FROM "setting_values" ORDER BY "id"`,
    );
    assert.deepEqual(
      rows.map((r) => [r.namespace_id, r.value, r.changed_after, r.ended_after]),
      [
        [1, '262144', null, 2000], // first reading of the host; ended after the snapshot at 2000
        [1, '64', 2000, null], // lowered in (2000, 3000]
        [2, '262144', null, null], // first reading of the netns
      ],
    );
    const sets: { id: number; last_read_at: number }[] = await db.query(
      `SELECT "id", "last_read_at" FROM "namespaces" ORDER BY "id"`,
    );
    assert.deepEqual(
      sets.map((s) => [s.id, s.last_read_at]),
      [
        [1, 3000],
        [2, 3000],
      ],
    );
  } finally {
    await db.destroy();
    rmSync(path.dirname(String(db.options.database)), { recursive: true, force: true });
  }
});

test('kernel events: printed lines back on the burst, credited suppressed counts moved to a host-wide row', async () => {
  const db = await migratedOldDatabase();
  try {
    const rows: {
      signature: string;
      namespace_id: number | null;
      count: number;
      suppressed: number;
      sample_line: string;
    }[] = await db.query(
      `SELECT "signature", "namespace_id", "count", "suppressed", "sample_line" FROM "kernel_events" ORDER BY "id"`,
    );
    assert.deepEqual(
      rows.map((r) => [r.signature, r.namespace_id, r.count, r.suppressed]),
      [
        ['conntrack-table-full', 2, 20, 0],
        ['net-ratelimit-suppressed', null, 1, 7],
        ['net-ratelimit-suppressed', null, 1, 126],
      ],
    );
    assert.match(
      rows[2]?.sample_line ?? '',
      /^net_ratelimit: 126 callbacks suppressed \(moved from kernel event 1/,
    );
  } finally {
    await db.destroy();
    rmSync(path.dirname(String(db.options.database)), { recursive: true, force: true });
  }
});

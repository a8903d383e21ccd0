import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/all-migrations.js';
import { ConcealSecrets1764480000000 } from '../../../migrations/1764480000000-conceal-secrets.js';
import { secretDigest } from '../../../src/domain/sysctl/secret-keys.js';
import { loadProcSysFixture } from '../../helpers/proc-fixture.js';

/**
 * A database of the previous release (every migration before ConcealSecrets), holding what that agent
 * recorded on the captured host: the fast open key in clear (then a change of it), unset stable_secrets as
 * null, and a baseline bundle with the key in clear. The migration leaves digests, keeps every interval.
 */
test('the migration replaces stored secrets by digests and keeps their history', async () => {
  const fastopen = loadProcSysFixture().get('net.ipv4.tcp_fastopen_key')?.value ?? '';
  assert.ok(fastopen.length > 0);
  const changed = '00000001-00000002-00000003-00000004';
  const previous = MIGRATIONS.filter((m) => m !== ConcealSecrets1764480000000);
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-conceal-'));
  const database = path.join(dir, 'ledger.sqlite');
  const old = new DataSource({ type: 'better-sqlite3', database, migrations: previous });
  const upgraded = new DataSource({ type: 'better-sqlite3', database, migrations: [...MIGRATIONS] });
  await old.initialize();
  try {
    await old.runMigrations();
    await old.query(
      `INSERT INTO "snapshots" ("id", "taken_at", "duration_ms", "keys_read", "namespaces_read", "change_count", "errors", "trigger")
       VALUES (1, 1000, 1, 3, 1, 3, '[]', 'startup'), (2, 2000, 1, 3, 1, 1, '[]', 'schedule')`,
    );
    await old.query(
      `INSERT INTO "namespaces" ("id", "kind", "identity", "first_seen_at", "last_seen_at") VALUES (1, 'host', 'host', 1000, 2000)`,
    );
    await old.query(
      `INSERT INTO "keys" ("id", "name", "scope", "volatile", "child_visibility", "classification_source", "access", "first_seen_at")
       VALUES (1, 'net.ipv4.tcp_fastopen_key', 'net', 0, 'isolated', 'probe', 'readable', 1000),
              (2, 'net.ipv6.conf.lo.stable_secret', 'net', 0, 'isolated', 'probe', 'unreadable', 1000),
              (3, 'net.core.somaxconn', 'net', 0, 'isolated', 'probe', 'readable', 1000)`,
    );
    await old.query(
      `INSERT INTO "setting_values" ("namespace_id", "key_id", "value", "valid_from", "valid_to", "opened_by", "closed_by")
       VALUES (1, 1, ?, 1000, 2000, 1, 2), (1, 1, ?, 2000, NULL, 2, NULL),
              (1, 2, NULL, 1000, NULL, 1, NULL), (1, 3, '4096', 1000, NULL, 1, NULL)`,
      [fastopen, changed],
    );
    await old.query(
      `INSERT INTO "namespace_defaults" ("key", "child_mode", "value", "kernel_release", "probed_at")
       VALUES ('net.ipv4.tcp_fastopen_key', 384, ?, '6.18', 1000)`,
      [fastopen],
    );
    const bundle = {
      values: { 'net.ipv4.tcp_fastopen_key': fastopen, 'net.core.somaxconn': '4096' },
      namespaces: [{ identity: 'x', values: { 'net.ipv6.conf.eth0.stable_secret': null } }],
    };
    await old.query(
      `INSERT INTO "baselines" ("name", "imported_at", "hostname", "kernel_release", "at", "format_version", "key_count", "namespace_count", "bundle")
       VALUES ('staging', 1000, 'vm', '6.18', 1000, 1, 2, 1, ?)`,
      [JSON.stringify(bundle)],
    );

    await old.destroy();
    await upgraded.initialize();
    await upgraded.runMigrations();
    const db = upgraded;
    const values: { key_id: number; value: string | null; valid_from: number; valid_to: number | null }[] =
      await db.query(
        `SELECT "key_id", "value", "valid_from", "valid_to" FROM "setting_values" ORDER BY "id"`,
      );
    assert.deepEqual(values, [
      { key_id: 1, value: secretDigest(fastopen), valid_from: 1000, valid_to: 2000 },
      { key_id: 1, value: secretDigest(changed), valid_from: 2000, valid_to: null },
      { key_id: 2, value: 'unset', valid_from: 1000, valid_to: null },
      { key_id: 3, value: '4096', valid_from: 1000, valid_to: null },
    ]);
    const access: { name: string; access: string }[] = await db.query(
      `SELECT "name", "access" FROM "keys" ORDER BY "id"`,
    );
    assert.deepEqual(
      access.map((k) => k.access),
      ['secret', 'secret', 'readable'],
    );
    const [defaults] = (await db.query(`SELECT "value" FROM "namespace_defaults"`)) as { value: string }[];
    assert.equal(defaults?.value, secretDigest(fastopen));
    const [stored] = (await db.query(`SELECT "bundle" FROM "baselines"`)) as { bundle: string }[];
    assert.deepEqual(JSON.parse(stored?.bundle ?? '{}'), {
      values: { 'net.ipv4.tcp_fastopen_key': secretDigest(fastopen), 'net.core.somaxconn': '4096' },
      namespaces: [{ identity: 'x', values: { 'net.ipv6.conf.eth0.stable_secret': 'unset' } }],
    });
  } finally {
    if (old.isInitialized) await old.destroy();
    if (upgraded.isInitialized) await upgraded.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/all-migrations.js';
import { ConcealConfiguredSecrets1764500000000 } from '../../../migrations/1764500000000-conceal-configured-secrets.js';
import { secretDigest } from '../../../src/domain/sysctl/secret-keys.js';

/**
 * A database of the previous release, whose boot-configuration history holds a fast open key and a
 * stable_secret as written in a sysctl.d file, and a drift of the secret: the migration leaves digests in both
 * tables, keeps every time, and leaves other keys as they were.
 */
test('the migration replaces configured secrets by digests and keeps their history', async () => {
  const previous = MIGRATIONS.filter((m) => m !== ConcealConfiguredSecrets1764500000000);
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-conceal-conf-'));
  const database = path.join(dir, 'ledger.sqlite');
  const old = new DataSource({ type: 'better-sqlite3', database, migrations: previous });
  const upgraded = new DataSource({ type: 'better-sqlite3', database, migrations: [...MIGRATIONS] });
  try {
    await old.initialize();
    await old.runMigrations();
    await old.query(
      `INSERT INTO "configured_values" ("key", "value", "source_file", "source_line", "glob", "ignore_failure", "valid_from", "valid_to", "opened_by", "closed_by")
       VALUES ('net.ipv4.tcp_fastopen_key', '1-2-3-4', '/etc/sysctl.d/90.conf', 1, NULL, 0, 1000, 2000, 1, 2),
              ('net.ipv4.tcp_fastopen_key', ' 5-6-7-8', '/etc/sysctl.d/90.conf', 1, NULL, 0, 2000, NULL, 2, NULL),
              ('net.ipv6.conf.eth0.stable_secret', '2001:db8::1', '/etc/sysctl.d/90.conf', 2, NULL, 0, 1000, NULL, 1, NULL),
              ('net.core.somaxconn', '1024', '/etc/sysctl.d/90.conf', 3, NULL, 0, 1000, NULL, 1, NULL)`,
    );
    await old.query(
      `INSERT INTO "config_drifts" ("key", "runtime", "configured", "source_file", "source_line", "unknown_to_kernel", "at_reboot", "valid_from", "valid_to", "opened_by", "closed_by")
       VALUES ('net.ipv6.conf.eth0.stable_secret', 'unset', '2001:db8::1', '/etc/sysctl.d/90.conf', 2, 0, 0, 1000, NULL, 1, NULL),
              ('net.core.somaxconn', '4096', '1024', '/etc/sysctl.d/90.conf', 3, 0, 0, 1000, NULL, 1, NULL)`,
    );
    await old.destroy();
    await upgraded.initialize();
    await upgraded.runMigrations();
    assert.deepEqual(
      await upgraded.query(
        `SELECT "key", "value", "valid_from", "valid_to" FROM "configured_values" ORDER BY "id"`,
      ),
      [
        {
          key: 'net.ipv4.tcp_fastopen_key',
          value: secretDigest('1-2-3-4'),
          valid_from: 1000,
          valid_to: 2000,
        },
        {
          key: 'net.ipv4.tcp_fastopen_key',
          value: secretDigest('5-6-7-8'),
          valid_from: 2000,
          valid_to: null,
        },
        {
          key: 'net.ipv6.conf.eth0.stable_secret',
          value: secretDigest('2001:db8::1'),
          valid_from: 1000,
          valid_to: null,
        },
        { key: 'net.core.somaxconn', value: '1024', valid_from: 1000, valid_to: null },
      ],
    );
    assert.deepEqual(
      await upgraded.query(
        `SELECT "key", "runtime", "configured", "valid_from" FROM "config_drifts" ORDER BY "id"`,
      ),
      [
        {
          key: 'net.ipv6.conf.eth0.stable_secret',
          runtime: 'unset',
          configured: secretDigest('2001:db8::1'),
          valid_from: 1000,
        },
        { key: 'net.core.somaxconn', runtime: '4096', configured: '1024', valid_from: 1000 },
      ],
    );
  } finally {
    if (old.isInitialized) await old.destroy();
    if (upgraded.isInitialized) await upgraded.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});

import { createHash } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Secrets are facts, not values: the values of `net.ipv4.tcp_fastopen_key` and `net.ipv6.conf.*.stable_secret`
 * recorded before this release are replaced by the digest the agent now stores (`sha256:` and 16 hex digits,
 * src/domain/sysctl/secret-keys.ts), in history, in the start-up probe's defaults and in imported baselines.
 * An unset stable_secret was stored as null (the kernel answers EIO); it becomes `unset`. Intervals keep their
 * times, so no history is lost: equal values have equal digests, a change of the secret stays a change.
 * Self-contained on purpose (a shipped migration never changes with the code it once called).
 */
const SECRET_KEY = /^(net\.ipv4\.tcp_fastopen_key|net\.ipv6\.conf\.[^.]+\.stable_secret)$/;
const CONCEALED = /^(unset|sha256:[0-9a-f]{16})$/;

function conceal(key: string, value: string | null): string | null {
  if (value === null) return key.endsWith('.stable_secret') ? 'unset' : null;
  if (CONCEALED.test(value)) return value;
  return `sha256:${createHash('sha256').update(value).digest('hex').slice(0, 16)}`;
}

type Values = Record<string, string | null>;

function concealValues(values: Values | undefined): boolean {
  let changed = false;
  for (const [key, value] of Object.entries(values ?? {})) {
    if (!SECRET_KEY.test(key)) continue;
    const hidden = conceal(key, value);
    if (hidden === value || !values) continue;
    values[key] = hidden;
    changed = true;
  }
  return changed;
}

export class ConcealSecrets1764480000000 implements MigrationInterface {
  name = 'ConcealSecrets1764480000000';

  async up(runner: QueryRunner): Promise<void> {
    const keys: { id: number; name: string }[] = await runner.query(
      `SELECT "id", "name" FROM "keys" WHERE "name" = 'net.ipv4.tcp_fastopen_key' OR "name" LIKE 'net.ipv6.conf.%.stable_secret'`,
    );
    for (const key of keys.filter((k) => SECRET_KEY.test(k.name))) {
      await runner.query(`UPDATE "keys" SET "access" = 'secret' WHERE "id" = ?`, [key.id]);
      const values: { id: number; value: string | null }[] = await runner.query(
        `SELECT "id", "value" FROM "setting_values" WHERE "key_id" = ?`,
        [key.id],
      );
      for (const row of values) {
        const hidden = conceal(key.name, row.value);
        if (hidden !== row.value) {
          await runner.query(`UPDATE "setting_values" SET "value" = ? WHERE "id" = ?`, [hidden, row.id]);
        }
      }
      const latest: { ns: number; value: string | null }[] = await runner.query(
        `SELECT "namespace_id" AS "ns", "value" FROM "volatile_values" WHERE "key_id" = ?`,
        [key.id],
      );
      for (const row of latest) {
        await runner.query(
          `UPDATE "volatile_values" SET "value" = ? WHERE "namespace_id" = ? AND "key_id" = ?`,
          [conceal(key.name, row.value), row.ns, key.id],
        );
      }
    }
    const defaults: { key: string; value: string | null }[] = await runner.query(
      `SELECT "key", "value" FROM "namespace_defaults"`,
    );
    for (const row of defaults.filter((d) => SECRET_KEY.test(d.key) && d.value !== null)) {
      const hidden = conceal(row.key, row.value);
      if (hidden !== row.value) {
        await runner.query(`UPDATE "namespace_defaults" SET "value" = ? WHERE "key" = ?`, [hidden, row.key]);
      }
    }
    const baselines: { id: number; bundle: string }[] = await runner.query(
      `SELECT "id", "bundle" FROM "baselines"`,
    );
    for (const row of baselines) {
      const bundle = JSON.parse(row.bundle) as { values?: Values; namespaces?: { values?: Values }[] };
      let changed = concealValues(bundle.values);
      for (const ns of bundle.namespaces ?? []) changed = concealValues(ns.values) || changed;
      if (changed) {
        await runner.query(`UPDATE "baselines" SET "bundle" = ? WHERE "id" = ?`, [
          JSON.stringify(bundle),
          row.id,
        ]);
      }
    }
  }

  /** Digests cannot be turned back into secrets; only the access marker is restored. */
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`UPDATE "keys" SET "access" = 'readable' WHERE "access" = 'secret'`);
  }
}

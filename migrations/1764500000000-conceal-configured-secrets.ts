import { createHash } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Secrets written in a sysctl.d file were recorded as text in the boot configuration's history and its drift
 * (`net.ipv4.tcp_fastopen_key`, `net.ipv6.conf.*.stable_secret`). They become the digest the agent keeps of
 * runtime secrets (`sha256:` and 16 hex digits). Rows keep their times, so no history is lost. The digest is of
 * the text as written (trimmed); the agent now digests the kernel's spelling of it, so a secret written in
 * another spelling is seen once as a configured change at the next snapshot. Self-contained on purpose.
 */
const SECRET_KEY = /^(net\.ipv4\.tcp_fastopen_key|net\.ipv6\.conf\.[^.]+\.stable_secret)$/;
const CONCEALED = /^(unset|sha256:[0-9a-f]{16})$/;

function conceal(value: string): string {
  if (CONCEALED.test(value)) return value;
  return `sha256:${createHash('sha256').update(value.trim()).digest('hex').slice(0, 16)}`;
}

const SECRET_ROWS = `"key" = 'net.ipv4.tcp_fastopen_key' OR "key" LIKE 'net.ipv6.conf.%.stable_secret'`;

export class ConcealConfiguredSecrets1764500000000 implements MigrationInterface {
  name = 'ConcealConfiguredSecrets1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    const configured: { id: number; key: string; value: string }[] = await runner.query(
      `SELECT "id", "key", "value" FROM "configured_values" WHERE ${SECRET_ROWS}`,
    );
    for (const row of configured.filter((r) => SECRET_KEY.test(r.key))) {
      await runner.query(`UPDATE "configured_values" SET "value" = ? WHERE "id" = ?`, [
        conceal(row.value),
        row.id,
      ]);
    }
    const drifts: { id: number; key: string; runtime: string | null; configured: string }[] =
      await runner.query(
        `SELECT "id", "key", "runtime", "configured" FROM "config_drifts" WHERE ${SECRET_ROWS}`,
      );
    for (const row of drifts.filter((r) => SECRET_KEY.test(r.key))) {
      await runner.query(`UPDATE "config_drifts" SET "runtime" = ?, "configured" = ? WHERE "id" = ?`, [
        row.runtime === null ? null : conceal(row.runtime),
        conceal(row.configured),
        row.id,
      ]);
    }
  }

  async down(): Promise<void> {
    // A digest cannot be turned back into the secret: nothing to undo.
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Which keys changed in a window" (GET /diff, the incident report) reads key_id from the (namespace_id,
 * valid_from) and (namespace_id, valid_to) indexes. Without key_id in them SQLite preferred a covering scan of
 * the set's whole history (ix_setting_values_history) over a range plus a table lookup per row, so a one-hour
 * window cost as much as 30 days. The same two indexes with key_id appended are covering for those queries
 * and serve every query the old ones served; they replace them (one index each, as before).
 */
export class SettingValuesWindowKeys1764440000000 implements MigrationInterface {
  name = 'SettingValuesWindowKeys1764440000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX "ix_setting_values_from_key" ON "setting_values" ("namespace_id", "valid_from", "key_id")`,
    );
    await runner.query(
      `CREATE INDEX "ix_setting_values_to_key" ON "setting_values" ("namespace_id", "valid_to", "key_id")`,
    );
    await runner.query(`DROP INDEX "ix_setting_values_from"`);
    await runner.query(`DROP INDEX "ix_setting_values_to"`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX "ix_setting_values_from" ON "setting_values" ("namespace_id", "valid_from")`,
    );
    await runner.query(
      `CREATE INDEX "ix_setting_values_to" ON "setting_values" ("namespace_id", "valid_to")`,
    );
    await runner.query(`DROP INDEX "ix_setting_values_from_key"`);
    await runner.query(`DROP INDEX "ix_setting_values_to_key"`);
  }
}

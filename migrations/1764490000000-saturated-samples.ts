import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The usage samples at or above the saturation floor (0.8 of their limit), per series: an incident report
 * reads only those from its window. A live host's gauges move every minute, so a 24-h window of 51 sets held
 * ~16,000 samples, all read to keep none; the index holds only the few saturated ones. The expression is the
 * report's own (IncidentEvidenceRepository.saturation) so SQLite can use it. Existing rows are indexed here.
 */
export class SaturatedSamples1764490000000 implements MigrationInterface {
  name = 'SaturatedSamples1764490000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX "ix_usage_samples_saturated" ON "usage_samples" ("metric", "namespace_id", "taken_at")
        WHERE "limit_value" > 0 AND "usage" / "limit_value" >= 0.8`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX "ix_usage_samples_saturated"`);
  }
}

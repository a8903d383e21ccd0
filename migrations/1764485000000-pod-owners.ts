import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Kubernetes pods as owners of namespace sets (kind `pod`, ref = pod uid, name = `<k8s-namespace>/<pod>`):
 * the pod's Kubernetes namespace on its own for lookups (`pod:<namespace>/<pod>`), and its containers
 * (`[{name, image, id}]`, JSON) as last seen. Both NULL for every other kind; existing rows are untouched.
 */
export class PodOwners1764485000000 implements MigrationInterface {
  name = 'PodOwners1764485000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "owners" ADD COLUMN "k8s_namespace" TEXT`);
    await runner.query(`ALTER TABLE "owners" ADD COLUMN "containers" TEXT`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "owners" DROP COLUMN "containers"`);
    await runner.query(`ALTER TABLE "owners" DROP COLUMN "k8s_namespace"`);
  }
}

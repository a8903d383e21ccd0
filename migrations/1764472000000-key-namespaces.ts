import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a set's pid-scoped keys (`kernel.pid_max` ≥ 6.14, `vm.memfd_noexec`, `kernel.ns_last_pid`) and `user.*`
 * keys were last read: the inode of the pid and user namespace of its process, NULL where the set shares the
 * host's (those keys are then the host's). Existing rows keep NULL until the next snapshot reads them.
 */
export class KeyNamespaces1764472000000 implements MigrationInterface {
  name = 'KeyNamespaces1764472000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "namespaces" ADD COLUMN "pid_inode" INTEGER`);
    await runner.query(`ALTER TABLE "namespaces" ADD COLUMN "user_inode" INTEGER`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "namespaces" DROP COLUMN "user_inode"`);
    await runner.query(`ALTER TABLE "namespaces" DROP COLUMN "pid_inode"`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a new container gets: every file under /proc/sys as the start-up probe saw it in a fresh
 * `unshare --net --ipc --uts` namespace (src/os/kernel-probe.ts), with its mode and, for the net/ipc/uts keys,
 * its value. A new netns or ipc ns starts from the kernel's defaults, not from the host's tuned values
 * (KERNEL.md R3, R4), so "host value ≠ child default" is the list of keys a container does not inherit; the
 * modes answer whether a container may set a key at all (preflight). Keyed by key name: the probe runs before
 * the first snapshot has catalogued any key. Replaced as a whole by each probe.
 */
export class NamespaceDefaults1764455000000 implements MigrationInterface {
  name = 'NamespaceDefaults1764455000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE "namespace_defaults" (
        "key" text PRIMARY KEY NOT NULL,
        "child_mode" integer NOT NULL,
        "value" text,
        "kernel_release" text NOT NULL,
        "probed_at" integer NOT NULL
      )`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "namespace_defaults"`);
  }
}

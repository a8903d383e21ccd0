import type { TestContext } from 'node:test';

/** Under CI (REQUIRE_DOCKER=1) every privileged test must run: a missing privilege fails instead of skipping. */
export const REQUIRED = process.env.REQUIRE_DOCKER === '1';

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Returns true when the test may go on. Without the privilege it skips with a printed reason, or fails when
 * the environment says the privilege is required.
 */
export function needsRoot(t: TestContext): boolean {
  if (isRoot()) return true;
  const reason = 'needs root (writes a host sysctl or enters namespaces)';
  if (REQUIRED) throw new Error(`REQUIRE_DOCKER=1 but ${reason}`);
  process.stdout.write(`# skipped: ${reason}\n`);
  t.skip(reason);
  return false;
}

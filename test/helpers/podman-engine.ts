import { request } from 'node:http';
import type { TestContext } from 'node:test';
import { runCommand, TEST_IMAGE, uniqueTestName } from './docker-engine.js';
import { needsRoot, REQUIRED } from './privileges.js';
import { runTestContainer, type TestContainer } from './run-test-container.js';

/** podman's Docker-compatible API socket, as .ci/start-podman.sh serves it (KL_PODMAN_SOCKET overrides). */
export const PODMAN_SOCKET = process.env.KL_PODMAN_SOCKET ?? '/run/podman/podman.sock';

/** GET /_ping on the socket: true when the service answers OK within 5 s. */
function pings(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** The podman CLI; resolves with its stdout. */
export async function podman(args: readonly string[], timeoutMs = 60_000): Promise<string> {
  return (await runCommand('podman', args, timeoutMs)).stdout;
}

/**
 * Root, the podman CLI with the test image, and its API service answering on PODMAN_SOCKET; skips with a
 * reason, or fails under REQUIRE_DOCKER=1 (CI installs podman and runs .ci/start-podman.sh). The test never
 * starts the service itself: a daemon started under the shared `flock` would hold the lock.
 */
export async function needsPodman(t: TestContext): Promise<boolean> {
  if (!needsRoot(t)) return false;
  let reason: string | null = null;
  try {
    await podman(['image', 'exists', TEST_IMAGE], 15_000);
  } catch (error) {
    const first = (error as Error).message.split('\n')[0] ?? '';
    reason = /ENOENT/.test(first)
      ? 'the podman CLI is not installed (apt-get install podman)'
      : `podman has no ${TEST_IMAGE} (${first})`;
  }
  if (reason === null && !(await pings(PODMAN_SOCKET)))
    reason = `no podman API service answers on ${PODMAN_SOCKET}`;
  if (reason === null) return true;
  reason = `needs podman: ${reason}; run .ci/start-podman.sh`;
  if (REQUIRED) throw new Error(`REQUIRE_DOCKER=1 but ${reason}`);
  process.stdout.write(`# skipped: ${reason}\n`);
  t.skip(reason);
  return false;
}

/** Containers a test starts with `podman run`; `cleanup()` removes them all, even those that failed to start. */
export class PodmanScope {
  private readonly names: string[] = [];

  /** `podman run -d` of the test image (`sleep 3600`) under a unique `kl-test-…` name; resolves with its PID. */
  async run(args: readonly string[], label: string): Promise<TestContainer> {
    const name = uniqueTestName(label);
    this.names.push(name);
    return runTestContainer({
      engine: 'podman',
      cli: (cliArgs) => podman(cliArgs),
      name,
      args,
      image: TEST_IMAGE,
      command: ['sleep', '3600'],
    });
  }

  async cleanup(): Promise<void> {
    if (this.names.length === 0) return;
    await podman(['rm', '--force', '--ignore', '--time', '0', ...this.names.splice(0)]);
  }
}

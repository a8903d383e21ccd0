import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { onCleanup } from './cleanup.js';
import { REPO_ROOT } from './processes.js';

export const TEST_IMAGE = 'kernel-ledger-test/busybox:latest';

/** Why Docker cannot be used here, or null when it can. */
export function dockerUnavailable(): string | null {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 15_000 });
    return null;
  } catch (error) {
    return `docker info failed (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}

/** `bash .ci/build-test-image.sh` (idempotent: nothing to do when the image is current). */
export function ensureTestImage(): void {
  execFileSync('bash', [path.join(REPO_ROOT, '.ci', 'build-test-image.sh')], { stdio: 'ignore' });
}

/** `docker run -d --name kl-bench-… sleep 3600` containers, always removed (`docker rm -f`). */
export class ContainerFleet {
  readonly names: string[] = [];
  private readonly release: () => void;

  constructor(count: number) {
    this.release = onCleanup('bench containers', () => this.removeNow());
    try {
      for (let i = 0; i < count; i++) {
        const name = `kl-bench-${process.pid}-${i}`;
        this.names.push(name);
        execFileSync(
          'docker',
          ['run', '-d', '--name', name, '--label', 'kl-bench=1', TEST_IMAGE, 'sleep', '3600'],
          {
            stdio: 'ignore',
          },
        );
      }
    } catch (error) {
      this.remove();
      throw error;
    }
  }

  remove(): void {
    this.release();
  }

  private removeNow(): void {
    const names = this.names.splice(0);
    if (names.length === 0) return;
    try {
      execFileSync('docker', ['rm', '-f', ...names], { stdio: 'ignore', timeout: 60_000 });
    } catch {
      // some never started; `docker rm -f` removed the others
    }
  }
}

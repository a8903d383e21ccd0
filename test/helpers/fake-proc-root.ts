import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A tiny procfs root holding only the given keys (no processes: the host is the only namespace set). */
export class FakeProcRoot {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'kl-fake-proc-'));

  constructor(values: Readonly<Record<string, string>> = {}) {
    this.set(values);
  }

  set(values: Readonly<Record<string, string>>): void {
    for (const [key, value] of Object.entries(values)) {
      const file = path.join(this.dir, 'sys', ...key.split('.'));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `${value}\n`);
    }
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Environment that keeps an agent on a fake root away from the host's Docker and named netns. */
export function isolatedEnv(procRoot: string, dbPath: string): Record<string, string> {
  return {
    DB_PATH: dbPath,
    PROC_ROOT: procRoot,
    SNAPSHOT_INTERVAL: '3600',
    DOCKER_SOCKET: path.join(procRoot, 'no-docker.sock'),
    NETNS_DIR: path.join(procRoot, 'no-netns'),
    // No boot configuration (not the host's /etc/sysctl.d, whose keys a fake root does not have).
    SYSCTL_CONF_ROOT: path.join(procRoot, 'no-sysctl-conf'),
  };
}

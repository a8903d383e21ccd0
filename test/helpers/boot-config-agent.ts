import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Agent, type AgentOptions, startAgent } from './start-agent.js';

/**
 * An agent that compares the host with the boot configuration under `confRoot` (SYSCTL_CONF_ROOT) and sees the
 * host alone: no Docker (its socket points nowhere) and an empty NETNS_DIR, both in the database's directory.
 * Snapshots are hourly: the test takes the ones it needs.
 */
export function startBootConfigAgent(
  db: { readonly dbPath: string; readonly dir: string },
  confRoot: string,
  options: Omit<AgentOptions, 'env'> = {},
): Promise<Agent> {
  const netnsDir = path.join(db.dir, 'no-netns');
  mkdirSync(netnsDir);
  return startAgent({
    ...options,
    env: {
      DB_PATH: db.dbPath,
      SYSCTL_CONF_ROOT: confRoot,
      SNAPSHOT_INTERVAL: '3600',
      DOCKER_SOCKET: path.join(db.dir, 'no-docker.sock'),
      NETNS_DIR: netnsDir,
    },
  });
}

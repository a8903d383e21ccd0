import path from 'node:path';
import { KmsgService } from '../../src/kernel-events/kmsg.service.js';
import { type Agent, startAgent } from './start-agent.js';

export interface KmsgAgent extends Agent {
  readonly kmsg: KmsgService;
}

export interface KmsgAgentOptions {
  readonly dbPath: string;
  /** Default /dev/kmsg. */
  readonly kmsgPath?: string;
  /**
   * A fake procfs root (boot_id, uptime, osrelease) for the follower; the agent then runs on it, away from
   * the host's Docker and named netns. Default: the host's /proc.
   */
  readonly procRoot?: string;
  /** Background jobs (kernel-log polls, snapshots); default false: the test calls kmsg.pollOnce(). */
  readonly schedule?: boolean;
}

/** The agent (startAgent) following a kernel log, with its KmsgService at hand. */
export async function startKmsgAgent(options: KmsgAgentOptions): Promise<KmsgAgent> {
  const isolated: Record<string, string> = options.procRoot
    ? {
        PROC_ROOT: options.procRoot,
        DOCKER_SOCKET: path.join(options.procRoot, 'no-docker.sock'),
        NETNS_DIR: path.join(options.procRoot, 'no-netns'),
      }
    : {};
  const agent = await startAgent({
    env: {
      DB_PATH: options.dbPath,
      SNAPSHOT_INTERVAL: '3600',
      KMSG_PATH: options.kmsgPath ?? '/dev/kmsg',
      ...isolated,
    },
    background: options.schedule ?? false,
  });
  return { ...agent, kmsg: agent.app.get(KmsgService) };
}

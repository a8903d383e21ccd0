import type Docker from 'dockerode';
import { loadDockerode } from './dockerode.loader.js';

export interface ContainerFacts {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly pid: number;
  readonly networkMode: string;
  readonly declaredSysctls: Readonly<Record<string, string>>;
  /** State.StartedAt in epoch ms (NaN when the engine gives none): bounds when its namespaces began. */
  readonly startedAt: number;
}

export interface DockerSettings {
  /** Unix socket of the engine; DOCKER_HOST, when set, wins (dockerode's own rule). */
  readonly socketPath: string;
  readonly timeoutMs: number;
  /** DOCKER_HOST as configured (validated with the environment); dockerode's modem then reads it itself. */
  readonly dockerHost?: string;
}

/** Running containers through the Docker API (list, then inspect each for its pid and declared sysctls). */
export class DockerClient {
  private readonly docker: Docker;

  constructor(settings: DockerSettings) {
    const Dockerode = loadDockerode(settings.dockerHost);
    this.docker = settings.dockerHost
      ? new Dockerode({ timeout: settings.timeoutMs })
      : new Dockerode({ socketPath: settings.socketPath, timeout: settings.timeoutMs });
  }

  async runningContainers(): Promise<ContainerFacts[]> {
    const listed = await this.docker.listContainers({ filters: { status: ['running'] } });
    const inspected = await Promise.all(
      listed.map(
        (summary) =>
          this.docker
            .getContainer(summary.Id)
            .inspect()
            .catch(() => null), // gone between list and inspect: not running any more
      ),
    );
    return inspected.flatMap((info) =>
      info && info.State.Running && info.State.Pid > 0
        ? [
            {
              id: info.Id,
              name: info.Name.replace(/^\//, ''),
              image: info.Config.Image,
              labels: info.Config.Labels ?? {},
              pid: info.State.Pid,
              networkMode: info.HostConfig.NetworkMode ?? 'default',
              declaredSysctls: info.HostConfig.Sysctls ?? {},
              startedAt: Date.parse(info.State.StartedAt),
            },
          ]
        : [],
    );
  }
}

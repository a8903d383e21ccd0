import type Docker from 'dockerode';
import { existsSync } from 'node:fs';
import { loadDockerode } from './dockerode.loader.js';
import { isPodmanEngine, podmanDeclaredSysctls } from './podman-inspect.js';

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
  /**
   * Unix sockets of Docker-compatible engines (Docker's, podman's `/run/podman/podman.sock`…), each asked in
   * turn; one that does not exist is skipped (no engine there), unless none of them exists. DOCKER_HOST, when
   * set, wins (dockerode's own rule) and is the only engine then.
   */
  readonly socketPaths: readonly string[];
  readonly timeoutMs: number;
  /** DOCKER_HOST as configured (validated with the environment); dockerode's modem then reads it itself. */
  readonly dockerHost?: string;
}

/** The engines' answers: containers from those that answered, an error for each that did not. */
export interface RunningContainers {
  readonly containers: ContainerFacts[];
  readonly errors: { readonly engine: string; readonly message: string }[];
}

/** Running containers through the Docker API (list, then inspect each for its pid and declared sysctls). */
export class DockerClient {
  private readonly engines: {
    readonly name: string;
    readonly docker: Docker;
    readonly socketPath?: string;
  }[];
  /** Engines known to be podman or not (asked once each, when they first answer). */
  private readonly podmanEngines = new Map<string, boolean>();
  /** Declared sysctls of podman containers, read once per container (they cannot change while it lives). */
  private readonly podmanDeclared = new Map<string, Readonly<Record<string, string>>>();

  constructor(settings: DockerSettings) {
    const Dockerode = loadDockerode(settings.dockerHost);
    this.engines = settings.dockerHost
      ? [{ name: settings.dockerHost, docker: new Dockerode({ timeout: settings.timeoutMs }) }]
      : settings.socketPaths.map((socketPath) => ({
          name: socketPath,
          docker: new Dockerode({ socketPath, timeout: settings.timeoutMs }),
          socketPath,
        }));
  }

  /**
   * Every engine whose socket exists, at once (looked up at each call: an engine started after the agent is
   * found); when no socket exists, every one is asked, so the error names each. A container seen by two
   * engines (the same one behind two sockets) counts once.
   */
  async runningContainers(): Promise<RunningContainers> {
    const present = this.engines.filter((engine) => !engine.socketPath || existsSync(engine.socketPath));
    const engines = present.length > 0 ? present : this.engines;
    const answers = await Promise.allSettled(
      engines.map(async (engine) => {
        const found = await runningOn(engine.docker);
        return (await this.isPodman(engine)) ? this.withPodmanDeclared(engine.docker, found) : found;
      }),
    );
    const containers = new Map<string, ContainerFacts>();
    const errors: RunningContainers['errors'][number][] = [];
    answers.forEach((answer, index) => {
      const engine = engines[index]?.name ?? '';
      if (answer.status === 'rejected') {
        this.podmanEngines.delete(engine); // restarted or replaced: which engine it is gets asked again
        errors.push({
          engine,
          message: answer.reason instanceof Error ? answer.reason.message : String(answer.reason),
        });
        return;
      }
      for (const container of answer.value)
        if (!containers.has(container.id)) containers.set(container.id, container);
    });
    for (const id of this.podmanDeclared.keys()) if (!containers.has(id)) this.podmanDeclared.delete(id);
    return { containers: [...containers.values()], errors };
  }

  private async isPodman(engine: { readonly name: string; readonly docker: Docker }): Promise<boolean> {
    const known = this.podmanEngines.get(engine.name);
    if (known !== undefined) return known;
    const podman = await isPodmanEngine(engine.docker).catch(() => null); // asked again next time
    if (podman !== null) this.podmanEngines.set(engine.name, podman);
    return podman ?? false;
  }

  /** podman's Docker-compatible inspect carries no declared sysctls: they come from its own inspect. */
  private async withPodmanDeclared(docker: Docker, found: ContainerFacts[]): Promise<ContainerFacts[]> {
    return Promise.all(
      found.map(async (container) => {
        if (Object.keys(container.declaredSysctls).length > 0) return container;
        let declared = this.podmanDeclared.get(container.id);
        if (!declared) {
          const read = await podmanDeclaredSysctls(docker, container.id).catch(() => undefined); // again next time
          declared = read ?? {};
          if (read !== undefined) this.podmanDeclared.set(container.id, declared);
        }
        return { ...container, declaredSysctls: declared };
      }),
    );
  }
}

async function runningOn(docker: Docker): Promise<ContainerFacts[]> {
  const listed = await docker.listContainers({ filters: { status: ['running'] } });
  const inspected = await Promise.all(
    listed.map(
      (summary) =>
        docker
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

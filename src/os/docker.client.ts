import { request } from 'node:http';

export interface ContainerFacts {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly pid: number;
  readonly networkMode: string;
  readonly declaredSysctls: Readonly<Record<string, string>>;
}

export interface DockerSettings {
  /** Unix socket of the engine; DOCKER_HOST, when set, wins (dockerode's own rule). */
  readonly socketPath: string;
  readonly timeoutMs: number;
  /** The DOCKER_HOST in force (default: the process environment's). */
  readonly dockerHost?: string;
}

/** The fields of `GET /containers/{id}/json` the agent reads. */
interface ContainerInspect {
  readonly Id: string;
  readonly Name: string;
  readonly State: { readonly Running: boolean; readonly Pid: number };
  readonly Config: { readonly Image: string; readonly Labels?: Record<string, string> | null };
  readonly HostConfig: { readonly NetworkMode?: string; readonly Sysctls?: Record<string, string> | null };
}

/** The two calls the agent makes: list the running containers, inspect one (null when it is gone). */
interface DockerEngine {
  runningIds(): Promise<string[]>;
  inspect(id: string): Promise<ContainerInspect | null>;
}

/** An engine answer other than 2xx (404 on inspect means the container is gone). */
export class DockerApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'DockerApiError';
  }
}

/**
 * Running containers through the Docker API (list, then inspect each for its pid and declared sysctls).
 *
 * On a unix socket (the default, and what docker-compose.yml mounts) the two GET requests go through node:http:
 * dockerode loads ssh2, gRPC and protobuf at import, about 6 MiB of resident memory the agent never uses. With
 * DOCKER_HOST set (tcp, TLS, ssh…), dockerode is imported on first use and handles it as before.
 */
export class DockerClient {
  private engine: Promise<DockerEngine> | null = null;

  constructor(private readonly settings: DockerSettings) {}

  async runningContainers(): Promise<ContainerFacts[]> {
    const engine = await (this.engine ??= this.connect());
    const ids = await engine.runningIds();
    const inspected = await Promise.all(
      ids.map((id) => engine.inspect(id).catch(() => null)), // gone between list and inspect: not running any more
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
            },
          ]
        : [],
    );
  }

  private async connect(): Promise<DockerEngine> {
    const dockerHost = 'dockerHost' in this.settings ? this.settings.dockerHost : process.env['DOCKER_HOST'];
    if (!dockerHost) return socketEngine(this.settings.socketPath, this.settings.timeoutMs);
    return dockerodeEngine(this.settings.timeoutMs);
  }
}

function socketEngine(socketPath: string, timeoutMs: number): DockerEngine {
  const running = encodeURIComponent(JSON.stringify({ status: ['running'] }));
  return {
    runningIds: async () => {
      const listed = (await getJson(socketPath, `/containers/json?filters=${running}`, timeoutMs)) as {
        Id: string;
      }[];
      return listed.map((c) => c.Id);
    },
    inspect: async (id) => {
      try {
        return (await getJson(
          socketPath,
          `/containers/${encodeURIComponent(id)}/json`,
          timeoutMs,
        )) as ContainerInspect;
      } catch (error) {
        if (error instanceof DockerApiError && error.statusCode === 404) return null;
        throw error;
      }
    },
  };
}

/** One GET on the engine's unix socket; the parsed JSON body of a 2xx answer, else a DockerApiError. */
function getJson(socketPath: string, path: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', headers: { host: 'docker' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          reject(new DockerApiError(status, `(HTTP code ${status}) ${engineMessage(body)}`));
          return;
        }
        try {
          resolve(JSON.parse(body));
        } catch (error) {
          reject(new Error(`invalid JSON from the Docker engine: ${(error as Error).message}`));
        }
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

function engineMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON
  }
  return body.trim().slice(0, 200) || 'no message';
}

/** dockerode, imported only now: it reads DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH… itself. */
async function dockerodeEngine(timeoutMs: number): Promise<DockerEngine> {
  const { default: Docker } = await import('dockerode');
  const docker = new Docker({ timeout: timeoutMs });
  return {
    runningIds: async () =>
      (await docker.listContainers({ filters: { status: ['running'] } })).map((c) => c.Id),
    inspect: (id) => docker.getContainer(id).inspect() as Promise<ContainerInspect>,
  };
}

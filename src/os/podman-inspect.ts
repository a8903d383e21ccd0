import type Docker from 'dockerode';
import { parsePodmanCreateCommand } from '../domain/namespaces/parse-podman-create-command.js';

/** True when the engine behind the socket is podman: its version names a "Podman Engine" component. */
export async function isPodmanEngine(docker: Docker): Promise<boolean> {
  const version = await docker.version();
  return (version.Components ?? []).some((component) => /podman/i.test(component.Name));
}

interface LibpodInspect {
  readonly Config?: { readonly CreateCommand?: unknown; readonly Cmd?: unknown };
}

const isWords = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((word) => typeof word === 'string');

/**
 * A podman container's declared sysctls, from podman's own inspect (`/libpod/containers/{id}/json`, not part of
 * the Docker API): the `--sysctl` options of the command line that created it. Null when unknown (made through
 * the API, or an answer without that line).
 */
export async function podmanDeclaredSysctls(
  docker: Docker,
  id: string,
): Promise<Record<string, string> | null> {
  const info = await new Promise<LibpodInspect>((resolve, reject) => {
    docker.modem.dial(
      {
        path: `/v4.0.0/libpod/containers/${encodeURIComponent(id)}/json`,
        method: 'GET',
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
      },
      (error, data) => (error ? reject(error) : resolve((data ?? {}) as LibpodInspect)),
    );
  });
  const { CreateCommand: line, Cmd: command } = info.Config ?? {};
  return isWords(line) ? parsePodmanCreateCommand(line, isWords(command) ? command : []) : null;
}

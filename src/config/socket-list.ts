/**
 * A comma-separated list of paths (DOCKER_SOCKET: Docker's socket and podman's Docker-compatible one), trimmed,
 * empty items dropped. A single path is a list of one; no path holds a comma in practice.
 */
export function socketList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

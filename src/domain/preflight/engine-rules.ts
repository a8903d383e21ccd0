/**
 * The checks a container engine applies to `--sysctl` / `sysctls` before it writes anything, with their
 * messages as the engines print them. Verified against the sources and against the real engine on this
 * machine (Docker 20.10.24 daemon, CLI 28.2.2, runc 1.1.5; test/system/preflight.system.test.ts):
 *
 * - Docker CLI, docker/cli `opts/opts.go` `ValidateSysctl`: 8 IPC names, prefixes `net.` and `fs.mqueue.`;
 *   anything else → "sysctl '<k>=<v>' is not allowed" (older CLIs: "is not whitelisted"). Only `docker run`
 *   goes through it: the Engine API (Compose, SDKs) does not.
 * - runc, opencontainers/runc `libcontainer/configs/validate/validator.go` `func sysctl()`: the same 8 names and
 *   `fs.mqueue.` need a private IPC namespace ("sysctl %q is not allowed in the hosts ipc namespace"); `net.`
 *   needs a network namespace other than runc's own ("sysctl %q not allowed in host network namespace");
 *   `kernel.domainname` is allowed with a private UTS namespace (Docker always gives one unless --uts host);
 *   `kernel.hostname` conflicts with the OCI hostname field; everything else "is not in a separate kernel
 *   namespace" (runc ≥ 1.5 allows `user.*` with a user namespace, which Docker does not create by default).
 * - Then runc's container init writes each key under the container's /proc/sys: a key the new namespace shows
 *   read-only (mirrored globals) fails with EACCES, one it does not have (init_net-only keys, unknown keys,
 *   interfaces the container lacks) with ENOENT, a value the kernel cannot parse with EINVAL.
 */

/** docker/cli opts.ValidateSysctl and runc's validator share these exact names (IPC namespace). */
export const IPC_SYSCTL_NAMES: ReadonlySet<string> = new Set([
  'kernel.msgmax',
  'kernel.msgmnb',
  'kernel.msgmni',
  'kernel.sem',
  'kernel.shmall',
  'kernel.shmmax',
  'kernel.shmmni',
  'kernel.shm_rmid_forced',
]);

export function isRuncIpcSysctl(key: string): boolean {
  return IPC_SYSCTL_NAMES.has(key) || key.startsWith('fs.mqueue.');
}

/** The Docker CLI's refusal, or null when `docker run --sysctl` passes the key to the daemon. */
export function dockerCliRefusal(key: string, value: string): string | null {
  if (IPC_SYSCTL_NAMES.has(key) || key.startsWith('net.') || key.startsWith('fs.mqueue.')) return null;
  return `invalid argument "${key}=${value}" for "--sysctl" flag: sysctl '${key}=${value}' is not allowed`;
}

/** runc's validator (before any process starts), or null when the key passes it. */
export function runcValidationRefusal(
  key: string,
  namespaces: { readonly network: 'private' | 'host'; readonly ipc: 'private' | 'host' },
): string | null {
  if (isRuncIpcSysctl(key)) {
    return namespaces.ipc === 'host' ? `sysctl "${key}" is not allowed in the hosts ipc namespace` : null;
  }
  if (key.startsWith('net.')) {
    return namespaces.network === 'host' ? `sysctl "${key}" not allowed in host network namespace` : null;
  }
  if (key === 'kernel.domainname') return null;
  if (key === 'kernel.hostname') {
    return `sysctl "kernel.hostname" is not allowed as it conflicts with the OCI "hostname" field`;
  }
  return `sysctl "${key}" is not in a separate kernel namespace`;
}

/** `/proc/sys/net/core/somaxconn` for `net.core.somaxconn` (a `/` inside a segment stands for a dot). */
export function procPathOf(key: string): string {
  return `/proc/sys/${key
    .split('.')
    .map((segment) => segment.replaceAll('/', '.'))
    .join('/')}`;
}

/** runc's container-init failure as Docker reports it. */
export function containerInitFailure(key: string, operation: 'open' | 'write', error: string): string {
  return `error during container init: ${operation} ${procPathOf(key)}: ${error}`;
}

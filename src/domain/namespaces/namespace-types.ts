/** The namespace types whose sysctls the agent reads per namespace set (user and pid keys are few and global-bounded). */
export type NamespaceType = 'net' | 'ipc' | 'uts';
export const NAMESPACE_TYPES: readonly NamespaceType[] = ['net', 'ipc', 'uts'];

export interface NamespaceInodes {
  readonly net: number | null;
  readonly ipc: number | null;
  readonly uts: number | null;
}

export type NamespaceSetKind = 'host' | 'pod' | 'container' | 'netns' | 'process';

export interface ContainerOwner {
  readonly kind: 'container';
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly pid: number;
  readonly networkMode: string;
  /**
   * HostConfig.Sysctls as declared at `docker run --sysctl`. podman's API carries none: for a podman container,
   * the `--sysctl` options of the command line that created it (empty when it was made through the API).
   */
  readonly declaredSysctls: Readonly<Record<string, string>>;
}

/** A container of a Kubernetes pod. */
export interface PodContainer {
  readonly name: string;
  readonly image: string;
  /** The runtime's container id (a CRI id, or the id in a `cri-containerd-<id>.scope` cgroup). */
  readonly id: string;
}

/** A Kubernetes pod: found through the CRI, or, without one, through the node's cgroups and /var/log/pods. */
export interface PodOwner {
  readonly kind: 'pod';
  /** The Kubernetes namespace (not a Linux one). */
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly containers: readonly PodContainer[];
  readonly labels: Readonly<Record<string, string>>;
  /** The sandbox's `linux.sysctls` as declared (pod securityContext.sysctls); empty when not known. */
  readonly declaredSysctls: Readonly<Record<string, string>>;
  /** A process of the pod: the sandbox's (CRI) or any member's (cgroup). */
  readonly pid: number;
  /** Where the pod was named from. */
  readonly source: 'cri' | 'cgroup';
}

export interface NetnsOwner {
  readonly kind: 'netns';
  readonly name: string;
  /** The bind-mounted namespace file, e.g. /run/netns/NAME. */
  readonly path: string;
}

export interface ProcessOwner {
  readonly kind: 'process';
  readonly pid: number;
  readonly command: string;
}

export type Owner = PodOwner | ContainerOwner | NetnsOwner | ProcessOwner;

/** How to enter each namespace of a set: namespace file paths (`/proc/PID/ns/net`, `/run/netns/NAME`). */
export type NamespaceEntry = Partial<Record<NamespaceType, string>>;

export interface DiscoveredOwner {
  readonly owner: Owner;
  readonly inodes: NamespaceInodes;
  readonly entry: NamespaceEntry;
  /**
   * What proves this owner is the one seen before, whatever the inode numbers say (set-evidence.ts):
   * `container:<id>`, `process:<boot id>:<pid>:<start ticks>`, `netns:<name>:<mount id>`.
   */
  readonly evidence?: string;
  /** When the owner started (a container's State.StartedAt, epoch ms), when known. */
  readonly startedAt?: number;
}

export interface NamespaceSet {
  /** `host`, or `net:<inode>/ipc:<inode>/uts:<inode>`. */
  readonly identity: string;
  readonly kind: NamespaceSetKind;
  readonly inodes: NamespaceInodes;
  /** The namespace types in which this set differs from the host: only their keys are read. */
  readonly differingTypes: readonly NamespaceType[];
  readonly entry: NamespaceEntry;
  /** A process inside the set (for /proc/PID/net/* counters), or null for a named netns without one. */
  readonly pid: number | null;
  readonly owners: readonly Owner[];
}

/** Stable identity of a namespace set from its inode numbers. */
export function namespaceIdentity(inodes: NamespaceInodes, host: NamespaceInodes): string {
  if (inodes.net === host.net && inodes.ipc === host.ipc && inodes.uts === host.uts) return 'host';
  return `net:${inodes.net ?? '?'}/ipc:${inodes.ipc ?? '?'}/uts:${inodes.uts ?? '?'}`;
}

/** A namespace a set's keys of one type are read in: its inode and the file nsenter enters. */
export interface KeyNamespace {
  readonly inode: number;
  /** `/proc/PID/ns/pid`, `/proc/PID/ns/user`. */
  readonly file: string;
}

/**
 * The pid and user namespaces that own a set's pid-scoped keys (`kernel.pid_max`…) and `user.*` keys, found
 * through the set's process; a type is present only when it differs from the host's (else the host's values
 * apply). A Kubernetes pod's containers may each have their own pid namespace: the set's first process's is read.
 */
export interface KeyNamespaces {
  readonly pid?: KeyNamespace;
  readonly user?: KeyNamespace;
}

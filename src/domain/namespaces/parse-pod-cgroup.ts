/** What a process's cgroup path says about the Kubernetes pod it runs in. */
export interface PodCgroup {
  /** The pod uid in its usual dashed form (the systemd driver writes it with underscores). */
  readonly podUid: string;
  /** The runtime's container id from the leaf (`cri-containerd-<id>.scope`, `crio-<id>.scope`, `<id>`), if any. */
  readonly containerId: string | null;
}

const POD =
  /(?:^|[/_-])pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(?:\.slice)?(?:\/|$)/;
const CONTAINER = /(?:^|\/)(?:(?:cri-containerd|crio|docker)-)?([0-9a-f]{64})(?:\.scope)?$/;

/**
 * Reads /proc/PID/cgroup (v1: one line per hierarchy; v2: `0::/path`) for a kubelet pod cgroup:
 * `…/kubepods/<qos>/pod<uid>/<id>` (cgroupfs driver) or
 * `…/kubepods-<qos>-pod<uid_with_underscores>.slice/cri-containerd-<id>.scope` (systemd driver); CRI-O's leaf
 * is `crio-<id>.scope`. Null when no line lies under `kubepods`.
 */
export function parsePodCgroup(content: string): PodCgroup | null {
  for (const line of content.split('\n')) {
    const cgroupPath = line.split(':').slice(2).join(':');
    if (!cgroupPath.includes('kubepods')) continue;
    const pod = POD.exec(cgroupPath);
    if (!pod?.[1]) continue;
    const container = CONTAINER.exec(cgroupPath);
    return { podUid: pod[1].replaceAll('_', '-'), containerId: container?.[1] ?? null };
  }
  return null;
}

/** A pod as the kubelet's log directory names it: `<namespace>_<pod>_<uid>/<container>/`. */
export interface PodLogDirectory {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly containers: readonly string[];
}

/**
 * Splits a /var/log/pods entry name `<namespace>_<pod>_<uid>`: Kubernetes namespace and pod names cannot hold
 * `_` (DNS labels / subdomains), so the first and last underscores delimit the three parts.
 */
export function parsePodLogDirectoryName(entry: string): Omit<PodLogDirectory, 'containers'> | null {
  const first = entry.indexOf('_');
  const last = entry.lastIndexOf('_');
  if (first <= 0 || last <= first + 1 || last === entry.length - 1) return null;
  return { namespace: entry.slice(0, first), name: entry.slice(first + 1, last), uid: entry.slice(last + 1) };
}

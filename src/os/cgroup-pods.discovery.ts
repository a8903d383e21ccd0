import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePodCgroup } from '../domain/namespaces/parse-pod-cgroup.js';
import {
  type DiscoveredOwner,
  namespaceIdentity,
  type PodOwner,
} from '../domain/namespaces/namespace-types.js';
import { readContainerLogIds, readPodLogDirectories } from './pod-log-directories.reader.js';

/**
 * Pods named without a CRI: each non-host process whose cgroup lies in a kubelet pod cgroup
 * (`kubepods…pod<uid>…`) makes its namespace set a pod's; the pod's namespace, name and container names come
 * from `<podLogRoot>/<namespace>_<pod>_<uid>/<container>/`, container ids from the cgroup leaves matched through
 * the kubelet's /var/log/containers links. Without a log directory the pod is `pod<uid>` in namespace ``.
 * Declared sysctls and images are not on disk: they stay unknown (empty).
 */
export function discoverCgroupPods(
  procRoot: string,
  podLogRoot: string,
  processes: readonly DiscoveredOwner[],
): DiscoveredOwner[] {
  const found = new Map<string, { uid: string; first: DiscoveredOwner; pid: number; ids: Set<string> }>();
  for (const item of processes) {
    if (item.owner.kind !== 'process') continue;
    const cgroup = parsePodCgroup(readOrEmpty(path.join(procRoot, String(item.owner.pid), 'cgroup')));
    if (!cgroup) continue;
    const key = `${cgroup.podUid}|${namespaceIdentity(item.inodes, { net: -1, ipc: -1, uts: -1 })}`;
    const entry = found.get(key) ?? { uid: cgroup.podUid, first: item, pid: item.owner.pid, ids: new Set() };
    if (item.owner.pid < entry.pid) Object.assign(entry, { first: item, pid: item.owner.pid });
    if (cgroup.containerId) entry.ids.add(cgroup.containerId);
    found.set(key, entry);
  }
  if (found.size === 0) return [];
  const directories = readPodLogDirectories(podLogRoot);
  const logIds = readContainerLogIds(podLogRoot);
  return [...found.values()].map(({ uid, first, pid, ids }) => {
    const directory = directories.get(uid);
    const namespace = directory?.namespace ?? '';
    const name = directory?.name ?? `pod${uid}`;
    const owner: PodOwner = {
      kind: 'pod',
      namespace,
      name,
      uid,
      containers: (directory?.containers ?? []).map((container) => ({
        name: container,
        image: '',
        id: (logIds.get(`${namespace}/${name}/${container}`) ?? []).find((id) => ids.has(id)) ?? '',
      })),
      labels: {},
      declaredSysctls: {},
      pid,
      source: 'cgroup',
    };
    return { owner, inodes: first.inodes, entry: first.entry };
  });
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { type PodLogDirectory, parsePodLogDirectoryName } from '../domain/namespaces/parse-pod-cgroup.js';

/**
 * The kubelet's pod log directories under `root` (/var/log/pods): `<namespace>_<pod>_<uid>/<container>/`, by
 * pod uid. A missing root is an empty map (no kubelet on this host).
 */
export function readPodLogDirectories(root: string): Map<string, PodLogDirectory> {
  const pods = new Map<string, PodLogDirectory>();
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return pods;
  }
  for (const entry of entries) {
    const parsed = parsePodLogDirectoryName(entry);
    if (!parsed) continue;
    let containers: string[] = [];
    try {
      containers = readdirSync(path.join(root, entry), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort();
    } catch {
      // removed while listing
    }
    pods.set(parsed.uid, { ...parsed, containers });
  }
  return pods;
}

/**
 * Container ids from the kubelet's `/var/log/containers/<pod>_<namespace>_<container>-<id>.log` links (the
 * directory beside the pod log root), as `<namespace>/<pod>/<container>` → ids (one per restart).
 */
export function readContainerLogIds(podLogRoot: string): Map<string, string[]> {
  const ids = new Map<string, string[]>();
  let entries: string[];
  try {
    entries = readdirSync(path.join(path.dirname(podLogRoot), 'containers'));
  } catch {
    return ids;
  }
  for (const entry of entries) {
    const match = /^([^_]+)_([^_]+)_(.+)-([0-9a-f]{64})\.log$/.exec(entry);
    if (!match) continue;
    const [, pod, namespace, container, id] = match as unknown as [string, string, string, string, string];
    const key = `${namespace}/${pod}/${container}`;
    ids.set(key, [...(ids.get(key) ?? []), id]);
  }
  return ids;
}

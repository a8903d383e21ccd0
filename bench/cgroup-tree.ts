import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';

/** Removes an (empty of processes) cgroup directory tree, leaves first. */
export function removeCgroupTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeCgroupTree(path.join(dir, entry.name));
  }
  rmdirSync(dir);
}

/** Removes the top cgroup `name` from every hierarchy (v1: each controller's; v2: the unified one). */
export function removeCgroupRoot(name: string): void {
  const root = '/sys/fs/cgroup';
  const hierarchies = existsSync(path.join(root, 'cgroup.controllers'))
    ? [root]
    : readdirSync(root).map((entry) => path.join(root, entry));
  for (const hierarchy of hierarchies) removeCgroupTree(path.join(hierarchy, name));
}

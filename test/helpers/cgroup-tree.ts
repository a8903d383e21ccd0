import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';

/** The top cgroup of test pods: contains `kubepods` as the kubelet's do, and nothing else uses it. */
export const TEST_KUBEPODS = 'kl-test-kubepods';

/** Removes an (empty of processes) cgroup directory tree, leaves first. */
export function removeCgroupTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeCgroupTree(path.join(dir, entry.name));
  }
  rmdirSync(dir);
}

/** Removes TEST_KUBEPODS from every hierarchy (v1: each controller's; v2: the unified one). */
export function removeTestKubepods(): void {
  const root = '/sys/fs/cgroup';
  const hierarchies = existsSync(path.join(root, 'cgroup.controllers'))
    ? [root]
    : readdirSync(root).map((name) => path.join(root, name));
  for (const hierarchy of hierarchies) removeCgroupTree(path.join(hierarchy, TEST_KUBEPODS));
}

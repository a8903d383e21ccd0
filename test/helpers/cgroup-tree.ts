import { removeCgroupRoot } from '../../bench/cgroup-tree.js';

/** The top cgroup of test pods: contains `kubepods` as the kubelet's do, and nothing else uses it. */
export const TEST_KUBEPODS = 'kl-test-kubepods';

/** Removes TEST_KUBEPODS from every hierarchy (v1: each controller's; v2: the unified one). */
export function removeTestKubepods(): void {
  removeCgroupRoot(TEST_KUBEPODS);
}

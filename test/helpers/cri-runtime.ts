import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { CriPods as CriPodsIn, KL_CRI_SOCKET } from '../../bench/cri-pods.js';
import { TEST_KUBEPODS } from './cgroup-tree.js';
import { needsRoot, REQUIRED } from './privileges.js';

export { netnsNameOf, type PodSpec } from '../../bench/cri-pods.js';

/** The second containerd .ci/start-containerd.sh runs (KL_CRI_SOCKET overrides). */
export const CRI_SOCKET = process.env.KL_CRI_SOCKET ?? KL_CRI_SOCKET;

/** Root and a CRI runtime answering on CRI_SOCKET; skips with a reason, or fails under REQUIRE_DOCKER=1. */
export function needsCri(t: TestContext): boolean {
  if (!needsRoot(t)) return false;
  if (existsSync(CRI_SOCKET)) return true;
  const reason = `no CRI runtime at ${CRI_SOCKET} (start one with .ci/start-containerd.sh)`;
  if (REQUIRED) throw new Error(`REQUIRE_DOCKER=1 but ${reason}`);
  process.stdout.write(`# skipped: ${reason}\n`);
  t.skip(reason);
  return false;
}

/** Pod sandboxes and containers made through the CRI on CRI_SOCKET under TEST_KUBEPODS; all removed by cleanup. */
export class CriPods extends CriPodsIn {
  constructor() {
    super(CRI_SOCKET, TEST_KUBEPODS);
  }
}

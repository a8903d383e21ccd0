import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { Client } from '@grpc/grpc-js';
import { criCall, criRuntimeClient } from '../../src/os/cri/cri-call.js';
import { removeTestKubepods, TEST_KUBEPODS } from './cgroup-tree.js';
import { needsRoot, REQUIRED } from './privileges.js';

/** The second containerd .ci/start-containerd.sh runs (KL_CRI_SOCKET overrides). */
export const CRI_SOCKET = process.env.KL_CRI_SOCKET ?? '/run/kl-containerd/containerd.sock';
const TIMEOUT_MS = 60_000;

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

export interface PodSpec {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly sysctls?: Record<string, string>;
  readonly labels?: Record<string, string>;
  /** Containers to create and start (busybox sleeping). */
  readonly containers?: readonly string[];
  readonly logDirectory: string;
}

/** Pod sandboxes and containers made through the CRI exactly as the kubelet calls it; all removed by cleanup. */
export class CriPods {
  private readonly client: Client = criRuntimeClient(CRI_SOCKET);
  private readonly sandboxes: string[] = [];

  async run(spec: PodSpec): Promise<{ sandboxId: string; containerIds: string[] }> {
    const config = {
      metadata: { name: spec.name, uid: spec.uid, namespace: spec.namespace, attempt: 0 },
      hostname: spec.name,
      logDirectory: spec.logDirectory,
      labels: { 'io.kubernetes.pod.name': spec.name, ...spec.labels },
      linux: {
        cgroupParent: `/${TEST_KUBEPODS}/besteffort/pod${spec.uid}`,
        sysctls: spec.sysctls ?? {},
      },
    };
    const { podSandboxId } = await criCall<{ podSandboxId: string }>(
      this.client,
      'RunPodSandbox',
      { config },
      TIMEOUT_MS,
    );
    this.sandboxes.push(podSandboxId);
    const containerIds: string[] = [];
    for (const name of spec.containers ?? []) {
      const { containerId } = await criCall<{ containerId: string }>(
        this.client,
        'CreateContainer',
        {
          podSandboxId,
          config: {
            metadata: { name, attempt: 0 },
            image: { image: 'docker.io/kernel-ledger-test/busybox:latest' },
            command: ['/bin/sleep', '3600'],
            logPath: `${name}/0.log`,
          },
          sandboxConfig: config,
        },
        TIMEOUT_MS,
      );
      await criCall(this.client, 'StartContainer', { containerId }, TIMEOUT_MS);
      containerIds.push(containerId);
    }
    return { sandboxId: podSandboxId, containerIds };
  }

  /** The pid of the sandbox (verbose status), for the test's own reads of the kernel. */
  async sandboxPid(sandboxId: string): Promise<number> {
    const answer = await criCall<{ info: Record<string, string> }>(
      this.client,
      'PodSandboxStatus',
      { podSandboxId: sandboxId, verbose: true },
      TIMEOUT_MS,
    );
    return (JSON.parse(answer.info['info'] ?? '{}') as { pid?: number }).pid ?? 0;
  }

  /** StopPodSandbox then RemovePodSandbox for every pod made, as the kubelet tears one down. */
  async cleanup(): Promise<void> {
    for (const podSandboxId of this.sandboxes.splice(0)) {
      await criCall(this.client, 'StopPodSandbox', { podSandboxId }, TIMEOUT_MS);
      await criCall(this.client, 'RemovePodSandbox', { podSandboxId }, TIMEOUT_MS);
    }
    this.client.close();
    removeTestKubepods(); // containerd leaves the pods' parent cgroups behind
  }
}

/** The name under /run/netns of the network namespace of `pid` (containerd bind-mounts pod netns there). */
export function netnsNameOf(pid: number): string {
  const inode = statSync(`/proc/${pid}/ns/net`).ino;
  const name = readdirSync('/run/netns').find((n) => statSync(path.join('/run/netns', n)).ino === inode);
  if (!name) throw new Error(`no /run/netns entry for the netns of pid ${pid} (inode ${inode})`);
  return name;
}

import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@grpc/grpc-js';
import { criCall, criRuntimeClient } from '../src/os/cri/cri-call.js';
import { removeCgroupRoot } from './cgroup-tree.js';

/** The second containerd .ci/start-containerd.sh runs. */
export const KL_CRI_SOCKET = '/run/kl-containerd/containerd.sock';
const TIMEOUT_MS = 60_000;

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

/**
 * Pod sandboxes and containers made through the CRI exactly as the kubelet calls it (each sandbox with its own
 * net, ipc and uts namespaces and the runtime's CNI network), under the top cgroup `cgroupRoot`
 * (`/<cgroupRoot>/besteffort/pod<uid>`, a kubepods-like parent); all removed by `cleanup()`.
 * Shared by the CRI system test and the pods benchmark.
 */
export class CriPods {
  private readonly client: Client;
  private readonly sandboxes: string[] = [];

  constructor(
    readonly socket: string,
    private readonly cgroupRoot: string,
  ) {
    this.client = criRuntimeClient(socket);
  }

  /** Ids of the sandboxes made and not yet removed. */
  get sandboxIds(): readonly string[] {
    return this.sandboxes;
  }

  async run(spec: PodSpec): Promise<{ sandboxId: string; containerIds: string[] }> {
    const config = {
      metadata: { name: spec.name, uid: spec.uid, namespace: spec.namespace, attempt: 0 },
      hostname: spec.name,
      logDirectory: spec.logDirectory,
      labels: { 'io.kubernetes.pod.name': spec.name, ...spec.labels },
      linux: {
        cgroupParent: `/${this.cgroupRoot}/besteffort/pod${spec.uid}`,
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

  /** The pid of the sandbox (verbose status), for reads of the kernel outside the agent. */
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
    try {
      for (const podSandboxId of [...this.sandboxes]) {
        await criCall(this.client, 'StopPodSandbox', { podSandboxId }, TIMEOUT_MS);
        await criCall(this.client, 'RemovePodSandbox', { podSandboxId }, TIMEOUT_MS);
        this.sandboxes.splice(this.sandboxes.indexOf(podSandboxId), 1);
      }
    } finally {
      this.client.close();
    }
    removeCgroupRoot(this.cgroupRoot); // containerd leaves the pods' parent cgroups behind
  }
}

/** The name under /run/netns of the network namespace of `pid` (containerd bind-mounts pod netns there). */
export function netnsNameOf(pid: number): string {
  const inode = statSync(`/proc/${pid}/ns/net`).ino;
  const name = readdirSync('/run/netns').find((n) => statSync(path.join('/run/netns', n)).ino === inode);
  if (!name) throw new Error(`no /run/netns entry for the netns of pid ${pid} (inode ${inode})`);
  return name;
}

import { existsSync } from 'node:fs';
import type { Client } from '@grpc/grpc-js';
import { readCriVerboseInfo } from '../../domain/namespaces/read-cri-verbose-info.js';
import { criCall, criRuntimeClient } from './cri-call.js';

export interface PodContainerFacts {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly pid: number;
}

export interface PodFacts {
  readonly sandboxId: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly declaredSysctls: Readonly<Record<string, string>>;
  /** The sandbox's process; 0 when the runtime did not say (then a container's pid stands for it). */
  readonly pid: number;
  readonly containers: readonly PodContainerFacts[];
}

export interface CriSettings {
  /** Sockets to try in order: CRI_SOCKET when set, else containerd's and CRI-O's default paths. */
  readonly sockets: readonly string[];
  readonly timeoutMs: number;
}

interface Metadata {
  name?: string;
  uid?: string;
  namespace?: string;
}
interface ListedSandbox {
  id: string;
  metadata?: Metadata;
  state: string;
  labels?: Record<string, string>;
}
interface ListedContainer {
  id: string;
  podSandboxId: string;
  metadata?: { name?: string };
  image?: { image?: string };
  state: string;
}
interface StatusAnswer {
  status?: { image?: { image?: string } };
  info?: Record<string, string>;
}

interface SandboxDetail {
  readonly pid: number;
  readonly sysctls: Readonly<Record<string, string>>;
}
interface ContainerDetail {
  readonly pid: number;
  readonly image: string;
}

/**
 * Running pods through the CRI (containerd, CRI-O), as the kubelet sees them: ListPodSandbox and ListContainers
 * each snapshot, a verbose PodSandboxStatus / ContainerStatus once per new sandbox or container (its pid and
 * declared sysctls do not change while it lives). The socket is looked up at each call, so a runtime started
 * after the agent is found; gRPC is loaded only once a socket exists.
 */
export class CriClient {
  private client: Client | null = null;
  private clientSocket: string | null = null;
  private readonly sandboxes = new Map<string, SandboxDetail>();
  private readonly containers = new Map<string, ContainerDetail>();

  constructor(private readonly settings: CriSettings) {}

  /** The socket in use: the first of the candidates that exists, or null (no CRI on this host). */
  socket(): string | null {
    return this.settings.sockets.find((candidate) => existsSync(candidate)) ?? null;
  }

  async runningPods(): Promise<PodFacts[] | null> {
    const client = this.connect();
    if (!client) return null;
    const timeout = this.settings.timeoutMs;
    const lists = Promise.all([
      criCall<{ items?: ListedSandbox[] }>(
        client,
        'ListPodSandbox',
        { filter: { state: { state: 'SANDBOX_READY' } } },
        timeout,
      ),
      criCall<{ containers?: ListedContainer[] }>(
        client,
        'ListContainers',
        { filter: { state: { state: 'CONTAINER_RUNNING' } } },
        timeout,
      ),
    ]);
    const [sandboxes, containers] = await lists.catch((error: unknown) => {
      // A containerd with its CRI plugin disabled (Docker's own, as Debian and Docker install it) is no CRI.
      if (isUnimplemented(error)) return [null, null] as const;
      throw error;
    });
    if (!sandboxes || !containers) return null;
    const ready = (sandboxes.items ?? []).filter((s) => s.state === 'SANDBOX_READY');
    const running = (containers.containers ?? []).filter((c) => c.state === 'CONTAINER_RUNNING');
    await Promise.all([
      ...ready.filter((s) => !this.sandboxes.has(s.id)).map((s) => this.learnSandbox(client, s.id)),
      ...running.filter((c) => !this.containers.has(c.id)).map((c) => this.learnContainer(client, c)),
    ]);
    forgetAllBut(
      this.sandboxes,
      ready.map((s) => s.id),
    );
    forgetAllBut(
      this.containers,
      running.map((c) => c.id),
    );
    return ready.map((sandbox) => this.podOf(sandbox, running));
  }

  close(): void {
    this.client?.close();
    this.client = null;
    this.clientSocket = null;
  }

  private connect(): Client | null {
    const socket = this.socket();
    if (socket !== this.clientSocket) {
      this.close();
      if (socket) {
        this.client = criRuntimeClient(socket);
        this.clientSocket = socket;
      }
    }
    return this.client;
  }

  private async learnSandbox(client: Client, id: string): Promise<void> {
    const answer = await criCall<StatusAnswer>(
      client,
      'PodSandboxStatus',
      { podSandboxId: id, verbose: true },
      this.settings.timeoutMs,
    ).catch(() => null); // removed since the list: gone, not an error
    if (!answer) return;
    const info = readCriVerboseInfo(answer.info ?? {});
    this.sandboxes.set(id, { pid: info.pid, sysctls: info.sysctls });
  }

  private async learnContainer(client: Client, container: ListedContainer): Promise<void> {
    const answer = await criCall<StatusAnswer>(
      client,
      'ContainerStatus',
      { containerId: container.id, verbose: true },
      this.settings.timeoutMs,
    ).catch(() => null);
    if (!answer) return;
    const image = answer.status?.image?.image || container.image?.image || '';
    this.containers.set(container.id, { pid: readCriVerboseInfo(answer.info ?? {}).pid, image });
  }

  private podOf(sandbox: ListedSandbox, running: readonly ListedContainer[]): PodFacts {
    const detail = this.sandboxes.get(sandbox.id);
    const members = running
      .filter((c) => c.podSandboxId === sandbox.id)
      .map((c) => {
        const known = this.containers.get(c.id);
        return {
          id: c.id,
          name: c.metadata?.name ?? '',
          image: known?.image ?? c.image?.image ?? '',
          pid: known?.pid ?? 0,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    return {
      sandboxId: sandbox.id,
      namespace: sandbox.metadata?.namespace ?? '',
      name: sandbox.metadata?.name ?? '',
      uid: sandbox.metadata?.uid ?? '',
      labels: sandbox.labels ?? {},
      declaredSysctls: detail?.sysctls ?? {},
      pid: detail?.pid || members.find((m) => m.pid > 0)?.pid || 0,
      containers: members,
    };
  }
}

function isUnimplemented(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 12; // grpc UNIMPLEMENTED
}

function forgetAllBut<T>(cache: Map<string, T>, keep: readonly string[]): void {
  const kept = new Set(keep);
  for (const id of cache.keys()) if (!kept.has(id)) cache.delete(id);
}

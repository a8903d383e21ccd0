import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type {
  DiscoveredOwner,
  NamespaceEntry,
  NamespaceInodes,
} from '../domain/namespaces/namespace-types.js';
import type { CriClient } from './cri/cri.client.js';
import type { DockerClient } from './docker.client.js';
import { discoverCgroupPods } from './cgroup-pods.discovery.js';
import { readNamespaceInodes } from './namespace-inodes.reader.js';
import { readBootId, readMountIds, readProcessStartTicks } from './owner-evidence.reader.js';

export interface DiscoverySettings {
  readonly procRoot: string;
  /** Where named network namespaces are bind-mounted (`ip netns add`). */
  readonly netnsDir: string;
  /** The kubelet's pod log root (/var/log/pods): pod names when no CRI answers. */
  readonly podLogRoot?: string;
}

export interface Discovery {
  readonly host: NamespaceInodes;
  /** A process in the host's namespaces: PID 1, or the agent itself where PID 1 cannot be inspected. */
  readonly hostPid: number;
  readonly owners: DiscoveredOwner[];
  /** Sources that failed (Docker unreachable…); the rest of the discovery stands. */
  readonly errors: { source: string; message: string }[];
}

/** Finds every owner of a namespace: pods (CRI), Docker containers, named netns, and any other process. */
export async function discoverNamespaces(
  settings: DiscoverySettings,
  docker: DockerClient | null,
  cri: CriClient | null = null,
): Promise<Discovery> {
  const { host, hostPid } = hostNamespaces(settings.procRoot);
  const errors: Discovery['errors'] = [];
  const owners: DiscoveredOwner[] = [];
  if (docker) {
    try {
      const answer = await docker.runningContainers();
      for (const failed of answer.errors) {
        errors.push({
          source: 'docker',
          message: `Docker is unreachable at ${failed.engine}: ${failed.message}`,
        });
      }
      for (const { startedAt, ...c } of answer.containers) {
        const inodes = readNamespaceInodes(settings.procRoot, c.pid);
        if (inodes.net === null) continue; // exited since inspect
        owners.push({
          owner: { kind: 'container', ...c },
          inodes,
          entry: processEntry(settings.procRoot, c.pid),
          evidence: `container:${c.id}`,
          ...(Number.isFinite(startedAt) ? { startedAt } : {}),
        });
      }
    } catch (error) {
      errors.push({ source: 'docker', message: `Docker is unreachable: ${messageOf(error)}` });
    }
  }
  const criPods = cri ? await discoverCriPods(settings.procRoot, cri, errors) : null;
  owners.push(...(criPods ?? []));
  owners.push(...discoverNamedNetns(settings, host, errors));
  const processes = discoverProcesses(settings.procRoot, host);
  // Without an answering CRI, pods are still named from the node's cgroups and kubelet log directories.
  if (criPods === null && settings.podLogRoot) {
    owners.push(...discoverCgroupPods(settings.procRoot, settings.podLogRoot, processes));
  }
  owners.push(...processes);
  return { host, hostPid, owners, errors };
}

/** Pods through the CRI; an unreachable runtime is recorded and the rest of the discovery stands. */
async function discoverCriPods(
  procRoot: string,
  cri: CriClient,
  errors: Discovery['errors'],
): Promise<DiscoveredOwner[] | null> {
  let pods: Awaited<ReturnType<CriClient['runningPods']>>;
  try {
    pods = await cri.runningPods();
  } catch (error) {
    errors.push({ source: 'cri', message: `the CRI runtime is unreachable: ${messageOf(error)}` });
    return null;
  }
  if (pods === null) return null;
  const owners: DiscoveredOwner[] = [];
  for (const pod of pods) {
    if (pod.pid <= 0) continue; // no process to tie it to a namespace set
    const inodes = readNamespaceInodes(procRoot, pod.pid);
    if (inodes.net === null) continue; // stopped since the list
    owners.push({
      owner: {
        kind: 'pod',
        namespace: pod.namespace,
        name: pod.name,
        uid: pod.uid,
        containers: pod.containers.map(({ name, image, id }) => ({ name, image, id })),
        labels: pod.labels,
        declaredSysctls: pod.declaredSysctls,
        pid: pod.pid,
        source: 'cri',
      },
      inodes,
      entry: processEntry(procRoot, pod.pid),
    });
  }
  return owners;
}

/**
 * The host is the set of PID 1's namespaces. Some sandboxes deny even root a look at PID 1's namespace links
 * (ptrace access rules); then the agent's own namespaces stand for the host, which holds whenever the agent
 * runs on the host or with the host's namespaces (the compose file shares them).
 */
function hostNamespaces(procRoot: string): { host: NamespaceInodes; hostPid: number } {
  const init = readNamespaceInodes(procRoot, 1);
  if (init.net !== null && init.ipc !== null && init.uts !== null) return { host: init, hostPid: 1 };
  return { host: readNamespaceInodes(procRoot, 'self'), hostPid: process.pid };
}

function discoverNamedNetns(
  settings: DiscoverySettings,
  host: NamespaceInodes,
  errors: Discovery['errors'],
): DiscoveredOwner[] {
  let names: string[];
  try {
    names = readdirSync(settings.netnsDir);
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') errors.push({ source: 'netns', message: messageOf(error) });
    return [];
  }
  const owners: DiscoveredOwner[] = [];
  const mountIds = names.length > 0 ? readMountIds(settings.procRoot) : new Map<string, number>();
  for (const name of names) {
    const file = path.join(settings.netnsDir, name);
    try {
      const inode = statSync(file).ino;
      owners.push({
        owner: { kind: 'netns', name, path: file },
        inodes: { net: inode, ipc: host.ipc, uts: host.uts },
        entry: { net: file },
        evidence: `netns:${name}:${mountIds.get(path.resolve(file)) ?? '?'}`,
      });
    } catch {
      // removed while listing
    }
  }
  return owners;
}

function discoverProcesses(procRoot: string, host: NamespaceInodes): DiscoveredOwner[] {
  const owners: DiscoveredOwner[] = [];
  const bootId = readBootId(procRoot);
  for (const name of readdirSync(procRoot)) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const inodes = readNamespaceInodes(procRoot, pid);
    if (inodes.net === null && inodes.ipc === null && inodes.uts === null) continue; // exited or kernel thread view
    if (inodes.net === host.net && inodes.ipc === host.ipc && inodes.uts === host.uts) continue;
    const startTicks = readProcessStartTicks(procRoot, pid);
    owners.push({
      owner: { kind: 'process', pid, command: commandOf(procRoot, pid) },
      inodes,
      entry: processEntry(procRoot, pid),
      ...(startTicks === null ? {} : { evidence: `process:${bootId}:${pid}:${startTicks}` }),
    });
  }
  return owners;
}

function processEntry(procRoot: string, pid: number): NamespaceEntry {
  const dir = path.join(procRoot, String(pid), 'ns');
  return { net: path.join(dir, 'net'), ipc: path.join(dir, 'ipc'), uts: path.join(dir, 'uts') };
}

function commandOf(procRoot: string, pid: number): string {
  try {
    return readFileSync(path.join(procRoot, String(pid), 'comm'), 'utf8').trim();
  } catch {
    return '';
  }
}

function errnoOf(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

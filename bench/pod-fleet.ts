import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onCleanup } from './cleanup.js';
import { CriPods, netnsNameOf } from './cri-pods.js';
import { median, note, timeMs } from './measure.js';
import { REPO_ROOT } from './processes.js';

/** The top cgroup of the benchmark's pods (kubepods-like, used by nothing else). */
const CGROUP_ROOT = 'kl-bench-kubepods';
const K8S_NAMESPACE = 'kl-bench';

export interface Pod {
  readonly sandboxId: string;
  /** The sandbox (pause) process. */
  readonly pid: number;
}

/**
 * Up to `count` pod sandboxes made through the CRI on `socket`, as the kubelet makes them (RunPodSandbox with
 * metadata, its own net/ipc/uts namespaces, the runtime's CNI network), labelled with this run's pid. Creation
 * stops at the first failure once at least one pod exists (the machine holds no more): `pods.length` says how
 * many. Every sandbox is removed by `remove()`, by the run's cleanup, or on a signal (then synchronously, by
 * `remove-pod-sandboxes.js` finding them by label, in-flight ones included).
 *
 * `dir` holds bind mounts of exactly these pods' netns (their `/run/netns/cni-…` entries), for NETNS_DIR: what
 * a node's /run/netns holds, without the named netns of other jobs on this machine.
 */
export class PodFleet {
  readonly pods: Pod[] = [];
  readonly dir: string;
  /** Wall time of each RunPodSandbox, ms. */
  readonly setupMs: number[] = [];
  private readonly cri: CriPods;
  private readonly logRoot: string;
  private readonly mounted: string[] = [];
  private readonly release: () => void;

  private constructor(readonly socket: string) {
    this.cri = new CriPods(socket, CGROUP_ROOT);
    this.dir = mkdtempSync(path.join(tmpdir(), 'kl-bench-pods-netns-'));
    this.logRoot = mkdtempSync(path.join(tmpdir(), 'kl-bench-pods-logs-'));
    this.release = onCleanup('pod sandboxes', () => this.removeNow());
  }

  static async create(socket: string, count: number): Promise<PodFleet> {
    const fleet = new PodFleet(socket);
    try {
      await fleet.fill(count);
      return fleet;
    } catch (error) {
      await fleet.remove();
      throw error;
    }
  }

  private async fill(count: number): Promise<void> {
    const label = runLabel();
    for (let i = 0; i < count; i++) {
      const name = `pod-${i}`;
      const uid = `6b1f6d1e-0000-4000-8000-${String(process.pid).padStart(6, '0')}${String(i).padStart(6, '0')}`;
      try {
        let sandboxId = '';
        this.setupMs.push(
          await timeMs(async () => {
            ({ sandboxId } = await this.cri.run({
              namespace: K8S_NAMESPACE,
              name,
              uid,
              labels: { [label.key]: label.value },
              logDirectory: path.join(this.logRoot, `${K8S_NAMESPACE}_${name}_${uid}`),
            }));
          }),
        );
        const pid = await this.cri.sandboxPid(sandboxId);
        const netns = netnsNameOf(pid);
        const view = path.join(this.dir, netns);
        writeFileSync(view, '');
        execFileSync('mount', ['--bind', `/run/netns/${netns}`, view]);
        this.mounted.push(view);
        this.pods.push({ sandboxId, pid });
      } catch (error) {
        if (i === 0) throw error;
        note(
          `pods: pod ${i + 1} could not be made (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); the machine holds ${i}`,
        );
        return;
      }
    }
  }

  /** Median RunPodSandbox wall time, ms. */
  medianSetupMs(): number {
    return median(this.setupMs);
  }

  /** StopPodSandbox + RemovePodSandbox of each pod through the CRI, then the synchronous sweep by label. */
  async remove(): Promise<void> {
    this.unmount();
    try {
      await this.cri.cleanup();
    } finally {
      this.release();
    }
  }

  private unmount(): void {
    for (const view of this.mounted.splice(0)) {
      try {
        execFileSync('umount', [view], { stdio: 'ignore' });
      } catch {
        // not mounted
      }
    }
  }

  private removeNow(): void {
    this.unmount();
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.logRoot, { recursive: true, force: true });
    const label = runLabel();
    const swept = spawnSync(
      process.execPath,
      [
        path.join(REPO_ROOT, 'dist', 'bench', 'remove-pod-sandboxes.js'),
        this.socket,
        `${label.key}=${label.value}`,
        CGROUP_ROOT,
      ],
      { encoding: 'utf8', timeout: 600_000 },
    );
    if (swept.status !== 0)
      throw new Error(`removing pod sandboxes: ${swept.stderr || swept.error?.message}`);
    const left = Number(swept.stdout.trim());
    if (left > 0)
      note(`pods: ${left} sandboxes removed by the sweep (left by an interrupted run or failed removal)`);
  }
}

function runLabel(): { key: string; value: string } {
  return { key: 'kl-bench-run', value: String(process.pid) };
}

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onCleanup } from './cleanup.js';
import { cpuTimeMs } from './cpu-time.js';
import { KL_CRI_SOCKET } from './cri-pods.js';
import { databaseBytes } from './database-bytes.js';
import { type BenchFigure, median, note } from './measure.js';
import { PodFleet } from './pod-fleet.js';
import { httpJson, peakRssBytes, rssBytes, sleep, startAgent, type Started } from './processes.js';

/** Kubernetes' default maximum of pods per node (kubelet `maxPods`). */
const NODE_PODS = 110;
const RUNS = 7;
const IDLE_SNAPSHOTS_FOR_GROWTH = 10;
/** Whole default intervals measured for the CPU share (median). */
const INTERVALS = Number(process.env['BENCH_POD_INTERVALS'] ?? 5);
/** The default SNAPSHOT_INTERVAL, s. */
const DEFAULT_INTERVAL_S = 60;
const RSS_TARGET_BYTES = 150 * 1024 * 1024;

interface SnapshotAnswer {
  namespacesRead: number;
}

/**
 * Figure 7: a full Kubernetes node. Host + 110 pod sandboxes made through the real CRI (containerd of
 * .ci/start-containerd.sh: own net/ipc/uts namespaces, CNI bridge), the agent as the image runs it with
 * CRI_SOCKET on that runtime and NETNS_DIR holding exactly the pods' netns. Alternating with the cheapest read of
 * a netns, `nsenter --net=/proc/<pause pid>/ns/net grep -r '' /proc/sys/net` for each pod in turn: snapshot wall
 * time, CPU time of the agent and its helpers per snapshot (/proc/PID/stat), per set, and as a share of one core
 * of one core over whole 60 s default intervals (a snapshot, then the idle agent until the next); DB bytes per idle snapshot; RSS
 * after all the snapshots. BENCH_PODS changes the number of pods; with fewer than 110 (or when the machine holds
 * fewer) the figures are also extrapolated linearly in the number of sets, and say so.
 */
export async function benchPods(): Promise<BenchFigure[]> {
  if (process.getuid?.() !== 0) {
    note('pods benchmark skipped: needs root (CRI runtime, nsenter)');
    return [];
  }
  const socket = process.env['BENCH_CRI_SOCKET'] ?? KL_CRI_SOCKET;
  if (!existsSync(socket)) {
    note(`pods benchmark skipped: no CRI runtime at ${socket} (start one with .ci/start-containerd.sh)`);
    return [];
  }
  const wanted = Number(process.env['BENCH_PODS'] ?? NODE_PODS);
  const snapshots = Number(process.env['BENCH_POD_SNAPSHOTS'] ?? 40);
  const setupStarted = performance.now();
  const fleet = await PodFleet.create(socket, wanted);
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-bench-pods-'));
  const removeDir = onCleanup('pods temp dir', () => rmSync(dir, { recursive: true, force: true }));
  let agent: Started | undefined;
  try {
    const count = fleet.pods.length;
    note(
      `pods: ${count} pod sandboxes made through the CRI in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s (RunPodSandbox median ${fleet.medianSetupMs().toFixed(0)} ms, max ${Math.max(...fleet.setupMs).toFixed(0)} ms)`,
    );
    const dbPath = path.join(dir, 'agent.sqlite');
    agent = await startAgent({
      DB_PATH: dbPath,
      SNAPSHOT_INTERVAL: '86400',
      NETNS_DIR: fleet.dir,
      CRI_SOCKET: socket,
      DOCKER_SOCKET: path.join(dir, 'no-docker.sock'),
      // Experiments only: another budget of full reads than the default (README, "Rolling full reads").
      ...(process.env['BENCH_POD_FULL_READS'] === undefined
        ? {}
        : { FULL_READS_PER_SNAPSHOT: process.env['BENCH_POD_FULL_READS'] }),
    });
    const { pid, baseUrl } = agent;
    let taken = 1; // at start
    const snapshot = async (): Promise<{ wallMs: number; cpuMs: number; ownMs: number; sets: number }> => {
      const before = cpuTimeMs(pid);
      const started = performance.now();
      const answer = await httpJson<SnapshotAnswer>('POST', `${baseUrl}/api/v1/snapshots`);
      const wallMs = performance.now() - started;
      const after = cpuTimeMs(pid);
      taken++;
      return {
        wallMs,
        cpuMs: after.total - before.total,
        ownMs: after.own - before.own,
        sets: answer.namespacesRead,
      };
    };
    const peer = (): { wallMs: number; cpuMs: number } => {
      const before = cpuTimeMs('self').children;
      const started = performance.now();
      for (const pod of fleet.pods) {
        // Output through a pipe, as the agent reads it: grep writing to /dev/null stops at the first match.
        const run = spawnSync(
          'nsenter',
          [`--net=/proc/${pod.pid}/ns/net`, 'grep', '-r', '', '/proc/sys/net'],
          { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 },
        );
        if (run.error) throw run.error;
      }
      return { wallMs: performance.now() - started, cpuMs: cpuTimeMs('self').children - before };
    };
    const warm = await snapshot();
    await snapshot();
    peer();
    const ours: Awaited<ReturnType<typeof snapshot>>[] = [];
    const theirs: { wallMs: number; cpuMs: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      ours.push(await snapshot());
      theirs.push(peer());
    }
    const sets = warm.sets;
    const pods = (
      await httpJson<{ items: { owners: { kind: string }[] }[] }>('GET', `${baseUrl}/api/v1/namespaces`)
    ).items.filter((s) => s.owners.some((o) => o.kind === 'pod')).length;
    if (sets !== count + 1 || pods !== count) {
      note(
        `pods: the agent read ${sets} sets (host + ${count} pods expected; other jobs' processes in their own namespaces count too), ${pods} of them named as pods`,
      );
    }
    const wallMs = median(ours.map((o) => o.wallMs));
    const cpuMs = median(ours.map((o) => o.cpuMs));
    const peerWallMs = median(theirs.map((t) => t.wallMs));
    const peerCpuMs = median(theirs.map((t) => t.cpuMs));

    const beforeIdle = databaseBytes(dbPath);
    for (let i = 0; i < IDLE_SNAPSHOTS_FOR_GROWTH; i++) await snapshot();
    const perIdle = (databaseBytes(dbPath) - beforeIdle) / IDLE_SNAPSHOTS_FOR_GROWTH;
    while (taken < snapshots) await snapshot();
    const rss = rssBytes(pid);
    note(`pods: agent VmHWM ${(peakRssBytes(pid) / 1048576).toFixed(1)} MiB after ${taken} snapshots`);
    // Whole intervals as the scheduler runs them: a snapshot, then the agent left alone until the next one (the
    // garbage collection after a snapshot, the kernel-log polls); the CPU of the agent and its helpers over each.
    const intervals: number[] = [];
    for (let i = 0; i < INTERVALS; i++) {
      const before = cpuTimeMs(pid).total;
      const started = performance.now();
      await snapshot();
      await sleep(DEFAULT_INTERVAL_S * 1000 - (performance.now() - started));
      intervals.push(cpuTimeMs(pid).total - before);
    }
    const intervalCpuMs = median(intervals);
    const sharePct = (intervalCpuMs / (DEFAULT_INTERVAL_S * 1000)) * 100;
    note(
      `pods: CPU per snapshot ${cpuMs.toFixed(0)} ms (the agent's own ${median(ours.map((o) => o.ownMs)).toFixed(0)} ms, the rest its nsenter helpers; the peer's ${peerCpuMs.toFixed(0)} ms for ${count} pods); per whole ${DEFAULT_INTERVAL_S} s interval ${intervals.map((c) => c.toFixed(0)).join(', ')} ms`,
    );

    const what = `host + ${count} pods (${sets} sets)`;
    const figures: BenchFigure[] = [
      {
        name: `pods: snapshot ${what} vs nsenter grep -r /proc/sys/net for each pod, wall`,
        ours: wallMs,
        peer: peerWallMs,
        unit: 'ms',
        ratio: wallMs / peerWallMs,
        target: 'reported',
      },
      {
        name: `pods: CPU per set (agent + helpers, ${what}) vs one nsenter grep -r /proc/sys/net`,
        ours: cpuMs / sets,
        peer: peerCpuMs / count,
        unit: 'ms',
        ratio: cpuMs / sets / (peerCpuMs / count),
        target: 'reported',
      },
      {
        name: `pods: CPU per ${DEFAULT_INTERVAL_S} s interval (a snapshot of ${what}, then idle), share of one core`,
        ours: sharePct,
        peer: null,
        unit: '%',
        ratio: sharePct / 1,
        target: '<= 1 %',
      },
      {
        name: `pods: DB bytes per idle snapshot of ${what}`,
        ours: perIdle,
        peer: null,
        unit: 'B',
        ratio: perIdle / 2048,
        target: '<= 2 KB',
      },
      {
        name: `pods: agent RSS after ${taken} snapshots of ${what}`,
        ours: rss,
        peer: null,
        unit: 'B',
        ratio: rss / RSS_TARGET_BYTES,
        target: '<= 150 MiB',
      },
    ];
    if (count < NODE_PODS) {
      // Linear in the sets read: each pod adds one set (one nsenter dump, one record to plan).
      const scale = (NODE_PODS + 1) / sets;
      const share110 = ((cpuMs * (scale - 1) + intervalCpuMs) / (DEFAULT_INTERVAL_S * 1000)) * 100;
      note(
        `pods: EXTRAPOLATED linearly from ${count} to ${NODE_PODS} pods (×${scale.toFixed(2)} of the per-snapshot figures)`,
      );
      figures.push(
        {
          name: `pods: snapshot wall, host + ${NODE_PODS} pods, extrapolated from ${count}`,
          ours: wallMs * scale,
          peer: (peerWallMs * NODE_PODS) / count,
          unit: 'ms',
          ratio: (wallMs * scale) / ((peerWallMs * NODE_PODS) / count),
          target: 'reported',
        },
        {
          name: `pods: CPU share of one core at ${DEFAULT_INTERVAL_S} s, host + ${NODE_PODS} pods, extrapolated from ${count}`,
          ours: share110,
          peer: null,
          unit: '%',
          ratio: share110,
          target: '<= 1 %',
        },
      );
    }
    return figures;
  } catch (error) {
    // The agent's last output says why it stopped answering (a crash, an out-of-memory kill).
    if (agent) note(`pods: the agent's last output:\n${agent.output()}`);
    throw error;
  } finally {
    await agent?.stop();
    await fleet.remove();
    removeDir();
  }
}

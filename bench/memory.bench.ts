import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onCleanup } from './cleanup.js';
import { ContainerFleet, dockerUnavailable, ensureTestImage } from './containers.js';
import { type BenchFigure, note } from './measure.js';
import { compareScrapes } from './metrics.bench.js';
import { NetnsFleet } from './netns-fleet.js';
import {
  httpJson,
  peakRssBytes,
  rssBytes,
  startAgent,
  startNodeExporter,
  type Started,
} from './processes.js';

const NAMESPACES = 50;
const CONTAINERS = 10;
const SNAPSHOTS = 100;
const TARGET_BYTES = 150 * 1024 * 1024;

/**
 * Figure 4: resident memory (VmRSS) of the agent process after 100 snapshots of host + 50 named netns + 10
 * containers (POST /api/v1/snapshots in a loop), against node_exporter's VmRSS after as many scrapes; and, on
 * that loaded agent, /metrics scrape latency with every set's gauges against node_exporter.
 */
export async function benchMemory(): Promise<BenchFigure[]> {
  if (process.getuid?.() !== 0) {
    note('memory benchmark skipped: needs root (ip netns add, docker)');
    return [];
  }
  const dockerProblem = dockerUnavailable();
  let containers: ContainerFleet | undefined;
  if (dockerProblem) note(`memory benchmark: no containers, ${dockerProblem}`);
  const fleet = new NetnsFleet('kl-bench-mem', NAMESPACES);
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-bench-memory-'));
  const removeDir = onCleanup('memory temp dir', () => rmSync(dir, { recursive: true, force: true }));
  let agent: Started | undefined;
  let exporter: Started | undefined;
  try {
    if (!dockerProblem) {
      ensureTestImage();
      containers = new ContainerFleet(CONTAINERS);
    }
    agent = await startAgent({
      DB_PATH: path.join(dir, 'agent.sqlite'),
      SNAPSHOT_INTERVAL: '86400',
      NETNS_DIR: fleet.dir,
    });
    exporter = await startNodeExporter();
    let sets = 0;
    let containerSets = 0;
    for (let i = 0; i < SNAPSHOTS; i++) {
      const snapshot = await httpJson<{ namespacesRead: number; readMethods?: Record<string, number> }>(
        'POST',
        `${agent.baseUrl}/api/v1/snapshots`,
      );
      sets = snapshot.namespacesRead;
      await (await fetch(`${exporter.baseUrl}/metrics`)).text();
    }
    const namespaces = await httpJson<{ items: { kind: string }[] }>(
      'GET',
      `${agent.baseUrl}/api/v1/namespaces`,
    );
    containerSets = namespaces.items.filter((n) => n.kind === 'container').length;
    const ours = rssBytes(agent.pid);
    const peer = rssBytes(exporter.pid);
    const what = `host + ${NAMESPACES} netns + ${containers?.names.length ?? 0} containers`;
    note(
      `memory: the agent read ${sets} sets per snapshot (${containerSets} container sets; other jobs' containers and processes on this machine count too); agent VmHWM ${(peakRssBytes(agent.pid) / 1048576).toFixed(1)} MiB`,
    );
    const figures: BenchFigure[] = [
      {
        name: `agent RSS after ${SNAPSHOTS} snapshots (${what}) vs node_exporter RSS`,
        ours,
        peer,
        unit: 'B',
        ratio: ours / peer,
        target: 'reported',
      },
      {
        name: `agent RSS after ${SNAPSHOTS} snapshots (${what}), absolute`,
        ours,
        peer: null,
        unit: 'B',
        ratio: ours / TARGET_BYTES,
        target: '<= 150 MiB',
      },
    ];
    figures.push(...(await compareScrapes(agent, exporter, `${sets} sets`)));
    return figures;
  } finally {
    await agent?.stop();
    await exporter?.stop();
    containers?.remove();
    fleet.remove();
    removeDir();
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onCleanup } from './cleanup.js';
import { load, type LoadResult } from './load.js';
import { type BenchFigure, median, note } from './measure.js';
import { httpJson, startAgent, startNodeExporter, type Started } from './processes.js';

export const SCRAPE_CONNECTIONS = 4;
const SCRAPE_SECONDS = 5;
const ROUNDS = 5;

/**
 * Figure 3: /metrics scrape latency, p50 and p99 under the same bounded closed-loop load (autocannon, 4
 * connections, 5 s), against Prometheus node_exporter with only its conntrack, filefd and sysctl collectors;
 * both on loopback, rounds alternating, medians of 5 rounds after a warm-up round.
 */
export async function benchMetrics(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-bench-metrics-'));
  const removeDir = onCleanup('metrics temp dir', () => rmSync(dir, { recursive: true, force: true }));
  let agent: Started | undefined;
  let exporter: Started | undefined;
  try {
    agent = await startAgent({
      DB_PATH: path.join(dir, 'agent.sqlite'),
      SNAPSHOT_INTERVAL: '86400',
      NETNS_DIR: path.join(dir, 'no-netns'),
      DOCKER_SOCKET: path.join(dir, 'no-docker.sock'),
    });
    for (let i = 0; i < 3; i++) await httpJson('POST', `${agent.baseUrl}/api/v1/snapshots`);
    exporter = await startNodeExporter();
    return await compareScrapes(agent, exporter, 'host');
  } finally {
    await agent?.stop();
    await exporter?.stop();
    removeDir();
  }
}

/** Alternating scrape rounds of our /metrics and node_exporter's; p50 and p99 figures. */
export async function compareScrapes(
  agent: Started,
  exporter: Started,
  what: string,
): Promise<BenchFigure[]> {
  const options = { connections: SCRAPE_CONNECTIONS, durationSeconds: SCRAPE_SECONDS };
  const oursUrl = `${agent.baseUrl}/metrics`;
  const peerUrl = `${exporter.baseUrl}/metrics`;
  const oursBody = await (await fetch(oursUrl)).text();
  const peerBody = await (await fetch(peerUrl)).text();
  note(
    `/metrics (${what}): ours ${oursBody.length} B / ${lines(oursBody)} series lines, node_exporter ${peerBody.length} B / ${lines(peerBody)}`,
  );
  await load(oursUrl, { connections: SCRAPE_CONNECTIONS, durationSeconds: 2 });
  await load(peerUrl, { connections: SCRAPE_CONNECTIONS, durationSeconds: 2 });
  const ours: LoadResult[] = [];
  const peer: LoadResult[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    ours.push(await load(oursUrl, options));
    peer.push(await load(peerUrl, options));
  }
  const bad = [...ours, ...peer].reduce((sum, r) => sum + r.errors + r.non2xx, 0);
  if (bad > 0) note(`/metrics (${what}): ${bad} errors or non-2xx answers during the load`);
  note(
    `/metrics (${what}): ours ${median(ours.map((r) => r.rps)).toFixed(0)} req/s, node_exporter ${median(peer.map((r) => r.rps)).toFixed(0)} req/s`,
  );
  const load_ = `c=${SCRAPE_CONNECTIONS}, ${SCRAPE_SECONDS} s x ${ROUNDS}`;
  const figure = (p: 'p50' | 'p99', target: string): BenchFigure => {
    const o = median(ours.map((r) => r[p]));
    const q = median(peer.map((r) => r[p]));
    return {
      name: `/metrics scrape ${p} (${what}; ${load_}) vs node_exporter`,
      ours: o,
      peer: q,
      unit: 'ms',
      ratio: o / q,
      target,
    };
  };
  return [figure('p50', 'reported'), figure('p99', '<= 1.0x')];
}

function lines(body: string): number {
  return body.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
}

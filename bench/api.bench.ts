import { readFileSync } from 'node:fs';
import { load, type LoadResult } from './load.js';
import { type BenchFigure, median, note } from './measure.js';
import { peerDatabase } from './peer-database.js';
import { startAgent, type Started } from './processes.js';
import { createReportIncidents } from './report-incidents.js';
import type { SyntheticDatabase } from './storage.bench.js';

const CONNECTIONS = 4;
const SECONDS = 2;
const ROUNDS = 5;
const TARGET_MS = 100;
const TICKS_PER_SECOND = 100;
const DAY_MS = 86_400_000;

interface Endpoint {
  readonly name: string;
  readonly path: string;
  /** Also report p50 and the agent's CPU time per request as figures (the incident reports, history, diff). */
  readonly detailed?: boolean;
  /**
   * The same request with its relative and default times made absolute (`now`: one instant for both trees), so
   * both trees' answers can be compared byte for byte; unset: compare `path` itself.
   */
  readonly pinned?: (now: number) => string;
}

interface Round extends LoadResult {
  /** The agent process's CPU time (user + system) per answered request, ms. */
  readonly cpuMsPerRequest: number;
}

/** user + system CPU time of a process, ms (/proc/PID/stat, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

async function measureRound(agent: Started, path: string): Promise<Round> {
  const before = cpuMs(agent.pid);
  const result = await load(agent.baseUrl + path, { connections: CONNECTIONS, durationSeconds: SECONDS });
  return { ...result, cpuMsPerRequest: (cpuMs(agent.pid) - before) / Math.max(1, result.requests) };
}

function readOnlyAgent(dbPath: string, root?: string): Promise<Started> {
  return startAgent({ DB_PATH: dbPath, READ_ONLY: 'true', SNAPSHOT_INTERVAL: '86400' }, root);
}

/**
 * Figure 6: API latency on the synthetic history under a bounded closed-loop load (autocannon, 4 connections,
 * 2 s per round, endpoints in turn, 5 rounds after a warm-up round; median of the rounds' p99). The agent is the
 * real process in postmortem mode (READ_ONLY: serves the file, collects nothing, so the figures are the queries').
 * Incident reports (report-incidents.ts) also get p50 and the agent's CPU time per report, which the machine's
 * other load inflates less than latency. BENCH_API_PEER_ROOT=<another built tree> serves a copy of the same file
 * from that tree's agent too (peer-database.ts), measured in turn with ours, as the peer of every figure.
 */
export async function benchApi(db: SyntheticDatabase): Promise<BenchFigure[]> {
  const reports = await createReportIncidents(db.dbPath, db.history);
  const peerRoot = process.env['BENCH_API_PEER_ROOT'];
  const agent: Started = await readOnlyAgent(db.dbPath);
  let peer: Started | null = null;
  try {
    if (peerRoot) {
      peer = await readOnlyAgent(await peerDatabase(db.dbPath, peerRoot), peerRoot);
      note(`api: peer = the agent of ${peerRoot} on a copy of the same file`);
    }
    const h = db.history;
    const set = 'synthetic-7';
    const days = `${db.days} days of history`;
    const endpoints: Endpoint[] = [
      {
        name: `GET /settings/:key/history (host key)`,
        path: `/api/v1/settings/${encodeURIComponent(h.sampleHostKey)}/history`,
        detailed: true,
        pinned: (now) => `/api/v1/settings/${encodeURIComponent(h.sampleHostKey)}/history?to=${now}`,
      },
      {
        name: `GET /settings/:key/history?namespace= (netns key)`,
        path: `/api/v1/settings/${encodeURIComponent(h.sampleSetKey)}/history?namespace=${set}`,
        detailed: true,
        pinned: (now) =>
          `/api/v1/settings/${encodeURIComponent(h.sampleSetKey)}/history?namespace=${set}&to=${now}`,
      },
      {
        name: `GET /diff across the whole history (host, first page)`,
        path: `/api/v1/diff?from=${new Date(h.startAt + 30_000).toISOString()}`,
        detailed: true,
        pinned: (now) => `/api/v1/diff?from=${new Date(h.startAt + 30_000).toISOString()}&to=${now}`,
      },
      {
        name:
          db.days >= 7
            ? `GET /diff?from=-7d (a week of changes, first page)`
            : `GET /diff?from=-7d (before the history: every key added, first page)`,
        path: `/api/v1/diff?from=-7d`,
        detailed: true,
        pinned: (now) => `/api/v1/diff?from=${now - 7 * DAY_MS}&to=${now}`,
      },
      {
        name: `GET /namespaces/:ns/settings?at=-1d (first page)`,
        path: `/api/v1/namespaces/${set}/settings?at=-1d`,
      },
      { name: `GET /limits`, path: `/api/v1/limits` },
      {
        name: `GET /incidents/:id/report (host-wide, 1 h)`,
        path: `/api/v1/incidents/${h.incidentId}/report`,
        detailed: true,
      },
      ...reports.map((r) => ({ ...r, detailed: true })),
    ];
    const agents = peer ? [agent, peer] : [agent];
    const now = Date.now();
    for (const e of endpoints) {
      const bodies: string[] = [];
      for (const a of agents) {
        const response = await fetch(a.baseUrl + (e.pinned?.(now) ?? e.path));
        const body = await response.text();
        if (!response.ok) throw new Error(`${e.path}: HTTP ${response.status} ${body.slice(0, 300)}`);
        note(`api${a === peer ? ' (peer)' : ''}: ${e.path} answers ${body.length} B`);
        bodies.push(body);
        await load(a.baseUrl + e.path, { connections: CONNECTIONS, durationSeconds: 1 });
      }
      // Reports, history and diffs read only the file (pinned to one instant), so both trees must answer the same bytes.
      if (peer && e.detailed)
        note(
          `api: ${e.name}: ${bodies[0] === bodies[1] ? 'same answer as the peer' : 'ANSWER DIFFERS FROM THE PEER'}`,
        );
    }
    const results = new Map<Started, Map<string, Round[]>>(
      agents.map((a) => [a, new Map(endpoints.map((e) => [e.path, []]))]),
    );
    for (let round = 0; round < ROUNDS; round++) {
      for (const e of endpoints) {
        for (const a of agents)
          results
            .get(a)
            ?.get(e.path)
            ?.push(await measureRound(a, e.path));
      }
    }
    const summary = (a: Started | null, path: string) => {
      const runs = (a && results.get(a)?.get(path)) || [];
      return {
        p50: median(runs.map((r) => r.p50)),
        p99: median(runs.map((r) => r.p99)),
        cpu: median(runs.map((r) => r.cpuMsPerRequest)),
        rps: median(runs.map((r) => r.rps)),
        bad: runs.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
      };
    };
    return endpoints.flatMap((e) => {
      const ours = summary(agent, e.path);
      const theirs = peer ? summary(peer, e.path) : null;
      for (const [who, s] of [
        ['', ours],
        [' (peer)', theirs],
      ] as const) {
        if (!s) continue;
        note(
          `api${who}: ${e.name}: p50 ${s.p50} ms, p99 ${s.p99} ms, CPU ${s.cpu.toFixed(1)} ms/request, ${s.rps.toFixed(0)} req/s${s.bad ? `, ${s.bad} errors/non-2xx` : ''}`,
        );
      }
      const figure = (
        what: string,
        pick: (s: typeof ours) => number,
        target: string,
        absolute: number,
      ): BenchFigure => ({
        name: `${e.name} ${what} (${days}, c=${CONNECTIONS})`,
        ours: pick(ours),
        peer: theirs ? pick(theirs) : null,
        unit: 'ms',
        ratio: theirs ? pick(ours) / Math.max(pick(theirs), 0.001) : pick(ours) / absolute,
        target,
      });
      const figures = [figure('p99', (s) => s.p99, '<= 100 ms', TARGET_MS)];
      if (e.detailed) {
        figures.push(figure('p50', (s) => s.p50, 'reported (ratio vs 100 ms)', TARGET_MS));
        figures.push(figure('agent CPU per request', (s) => s.cpu, 'reported (ratio vs 100 ms)', TARGET_MS));
      }
      return figures;
    });
  } finally {
    await agent.stop();
    await peer?.stop();
  }
}

import { load, type LoadResult } from './load.js';
import { type BenchFigure, median, note } from './measure.js';
import { startAgent, type Started } from './processes.js';
import type { SyntheticDatabase } from './storage.bench.js';

const CONNECTIONS = 4;
const SECONDS = 2;
const ROUNDS = 5;
const TARGET_MS = 100;

/**
 * Figure 6: API latency on the synthetic history under a bounded closed-loop load (autocannon, 4 connections,
 * 2 s per round, endpoints in turn, 5 rounds after a warm-up round; median of the rounds' p99). The agent is the
 * real process in postmortem mode (READ_ONLY: serves the file, collects nothing, so the figures are the queries').
 */
export async function benchApi(db: SyntheticDatabase): Promise<BenchFigure[]> {
  const agent: Started = await startAgent({
    DB_PATH: db.dbPath,
    READ_ONLY: 'true',
    SNAPSHOT_INTERVAL: '86400',
  });
  try {
    const h = db.history;
    const set = 'synthetic-7';
    const days = `${db.days} days of history`;
    const endpoints: { name: string; path: string }[] = [
      {
        name: `GET /settings/:key/history (host key)`,
        path: `/api/v1/settings/${encodeURIComponent(h.sampleHostKey)}/history`,
      },
      {
        name: `GET /settings/:key/history?namespace= (netns key)`,
        path: `/api/v1/settings/${encodeURIComponent(h.sampleSetKey)}/history?namespace=${set}`,
      },
      {
        name: `GET /diff across the whole history (host, first page)`,
        path: `/api/v1/diff?from=${new Date(h.startAt + 30_000).toISOString()}`,
      },
      {
        name:
          db.days >= 7
            ? `GET /diff?from=-7d (a week of changes, first page)`
            : `GET /diff?from=-7d (before the history: every key added, first page)`,
        path: `/api/v1/diff?from=-7d`,
      },
      {
        name: `GET /namespaces/:ns/settings?at=-1d (first page)`,
        path: `/api/v1/namespaces/${set}/settings?at=-1d`,
      },
      { name: `GET /limits`, path: `/api/v1/limits` },
      { name: `GET /incidents/:id/report`, path: `/api/v1/incidents/${h.incidentId}/report` },
    ];
    for (const e of endpoints) {
      const response = await fetch(agent.baseUrl + e.path);
      const body = await response.text();
      if (!response.ok) throw new Error(`${e.path}: HTTP ${response.status} ${body.slice(0, 300)}`);
      note(`api: ${e.path} answers ${body.length} B`);
      await load(agent.baseUrl + e.path, { connections: CONNECTIONS, durationSeconds: 1 });
    }
    const results = new Map<string, LoadResult[]>(endpoints.map((e) => [e.path, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const e of endpoints) {
        results
          .get(e.path)
          ?.push(await load(agent.baseUrl + e.path, { connections: CONNECTIONS, durationSeconds: SECONDS }));
      }
    }
    return endpoints.map((e) => {
      const runs = results.get(e.path) ?? [];
      const bad = runs.reduce((sum, r) => sum + r.errors + r.non2xx, 0);
      const p50 = median(runs.map((r) => r.p50));
      const p99 = median(runs.map((r) => r.p99));
      note(
        `api: ${e.name}: p50 ${p50} ms, p99 ${p99} ms, ${median(runs.map((r) => r.rps)).toFixed(0)} req/s${bad ? `, ${bad} errors/non-2xx` : ''}`,
      );
      return {
        name: `${e.name} p99 (${days}, c=${CONNECTIONS})`,
        ours: p99,
        peer: null,
        unit: 'ms',
        ratio: p99 / TARGET_MS,
        target: '<= 100 ms',
      };
    });
  } finally {
    await agent.stop();
  }
}

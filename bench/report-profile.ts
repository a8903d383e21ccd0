import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Test } from '@nestjs/testing';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { AppModule } from '../src/app.module.js';
import { IncidentReportService } from '../src/api/incidents/incident-report.service.js';
import { validateEnvironment } from '../src/config/env.schema.js';
import { createReportIncidents } from './report-incidents.js';

/**
 * `node dist/bench/report-profile.js <history.sqlite> [iterations] [name filter]`: the incident reports of the API figure,
 * in process, on a synthetic history (BENCH_KEEP_DB=1 keeps one; pass a copy: the incidents and baseline are
 * written into it). Prints per report: wall time, statements run, and the statements that took the most time
 * (better-sqlite3 calls timed by SQL text). Run under `node --cpu-prof` for a CPU profile. With PROFILE_COLD=1,
 * another connection commits before each report, so none reuses what the previous one read (data-version.ts).
 */
interface Timed {
  count: number;
  ms: number;
}

type Statement = Record<string, unknown>;

/** Times every statement the driver runs, by its SQL text. */
function instrument(dataSource: DataSource, timings: Map<string, Timed>): void {
  const driver = dataSource.driver as unknown as { databaseConnection: { prepare(sql: string): Statement } };
  const db = driver.databaseConnection;
  const prepare = db.prepare.bind(db);
  db.prepare = (sql: string): Statement => {
    const statement = prepare(sql);
    for (const method of ['all', 'get', 'run', 'iterate'] as const) {
      const original = statement[method];
      if (typeof original !== 'function') continue;
      const time = (started: number, count: number): void => {
        const t = timings.get(sql) ?? { count: 0, ms: 0 };
        t.count += count;
        t.ms += performance.now() - started;
        timings.set(sql, t);
      };
      statement[method] = (...args: unknown[]): unknown => {
        const started = performance.now();
        let result: unknown;
        try {
          result = (original as (...a: unknown[]) => unknown).apply(statement, args);
        } finally {
          time(started, 1);
        }
        if (method !== 'iterate') return result;
        // Rows read one at a time (src/storage/raw-rows.ts): each step of the iteration counts too.
        const rows = result as IterableIterator<unknown>;
        const next = rows.next.bind(rows);
        rows.next = (): IteratorResult<unknown> => {
          const stepped = performance.now();
          try {
            return next();
          } finally {
            time(stepped, 0);
          }
        };
        return rows;
      };
    }
    return statement;
  };
}

async function main(): Promise<void> {
  const dbPath = process.argv[2];
  const iterations = Number(process.argv[3] ?? '20');
  if (!dbPath) throw new Error('usage: report-profile.js <history.sqlite> [iterations]');
  const probe = new (await import('better-sqlite3')).default(dbPath, { readonly: true });
  const span = probe.prepare(`SELECT min("taken_at") AS "a", count(*) AS "n" FROM "snapshots"`).get() as {
    a: number;
    n: number;
  };
  probe.close();
  const cases = await createReportIncidents(dbPath, { startAt: span.a, snapshots: span.n });
  const scratch = mkdtempSync(path.join(tmpdir(), 'kl-report-profile-'));
  const env = validateEnvironment({
    DB_PATH: dbPath,
    READ_ONLY: 'true',
    // PROFILE_COLD: read-only but not immutable (as the CLI opens a file the agent writes), so commits are seen.
    ...(process.env['PROFILE_COLD'] === '1' ? { CLI_MODE: 'true' } : {}),
    SNAPSHOT_INTERVAL: '86400',
    LOG_LEVEL: 'silent',
    NETNS_DIR: path.join(scratch, 'no-netns'),
    DOCKER_SOCKET: path.join(scratch, 'no-docker.sock'),
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(env)] }).compile();
  try {
    const reports = moduleRef.get(IncidentReportService, { strict: false });
    const timings = new Map<string, Timed>();
    instrument(moduleRef.get<DataSource>(getDataSourceToken(), { strict: false }), timings);
    const only = process.argv[4];
    // PROFILE_COLD=1: every report as the first one after a write (nothing kept from the previous one).
    const writer =
      process.env['PROFILE_COLD'] === '1' ? new (await import('better-sqlite3')).default(dbPath) : null;
    let commits = 0;
    for (const c of cases.filter((r) => !only || r.name.includes(only))) {
      const [pathPart = '', search = ''] = c.path.split('?');
      const id = Number(/incidents\/(\d+)\//.exec(pathPart)?.[1]);
      const baseline = new URLSearchParams(search).get('baseline') ?? undefined;
      const query = baseline ? { baseline } : {};
      const answer = await reports.report(id, query); // warm-up
      timings.clear();
      const started = performance.now();
      const cpu = process.cpuUsage();
      for (let i = 0; i < iterations; i++) {
        if (writer) writer.pragma(`user_version = ${++commits}`); // another connection's commit: a new data version
        await reports.report(id, query);
      }
      const used = process.cpuUsage(cpu);
      const ms = (performance.now() - started) / iterations;
      const statements = [...timings.values()].reduce((n, t) => n + t.count, 0) / iterations;
      const sqlMs = [...timings.values()].reduce((n, t) => n + t.ms, 0) / iterations;
      process.stdout.write(
        `${c.name}: ${ms.toFixed(1)} ms/report (CPU ${((used.user + used.system) / 1000 / iterations).toFixed(1)} ms), ${statements.toFixed(0)} statements, ${sqlMs.toFixed(1)} ms in SQL; ${answer.suspectCount} suspects, ${JSON.stringify(answer).length} B\n`,
      );
      const top = [...timings.entries()]
        .sort((a, b) => b[1].ms - a[1].ms)
        .slice(0, Number(process.env['PROFILE_TOP'] ?? 5));
      for (const [sql, t] of top) {
        process.stdout.write(
          `   ${(t.ms / iterations).toFixed(2)} ms × ${(t.count / iterations).toFixed(1)}: ${sql.replace(/\s+/g, ' ').slice(0, 160)}\n`,
        );
      }
    }
    writer?.close();
  } finally {
    await moduleRef.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

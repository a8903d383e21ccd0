import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { existsSync } from 'node:fs';
import { DiffQuery } from '../api/diff/diff.query.js';
import { DiffService, wholeDiff } from '../api/diff/diff.service.js';
import { parseQuery } from '../api/params/query-params.js';
import { ExportQuery } from '../api/baselines/baseline.queries.js';
import { ExportService } from '../api/baselines/export.service.js';
import { IncidentReportQuery, MAX_REPORT_SUSPECTS } from '../api/incidents/incident.dto.js';
import { IncidentReportService } from '../api/incidents/incident-report.service.js';
import { SnapshotsQueryService, wholeSnapshot } from '../api/snapshots/snapshots.service.js';
import { intParam } from '../api/params/request-params.js';
import { AppModule } from '../app.module.js';
import { type EnvironmentVariables, validateEnvironment } from '../config/env.schema.js';
import { SnapshotService } from '../snapshot/snapshot.service.js';
import { lastSnapshotIn } from '../storage/repositories/snapshot-log.repository.js';
import { CliFailure, type CliInvocation, USAGE } from './cli-args.js';
import { formatDiff, formatReport, formatSnapshot } from './cli-format.js';
import {
  type CommandOutput,
  preflightBodyOf,
  preflightInProcess,
  preflightOutput,
  preflightOverHttp,
} from './preflight-command.js';

/**
 * Runs one command against the same Nest services as the API and returns what to print. Read commands open
 * the database read-only (READ_ONLY), so they never modify it and no collection, kernel log or webhook job
 * starts; `snapshot` opens it for writing with CLI_MODE set, takes one snapshot and closes.
 */
export async function runCommand(
  invocation: CliInvocation,
  environment: NodeJS.ProcessEnv,
): Promise<string | CommandOutput> {
  if (invocation.command === 'preflight' && invocation.options.url !== undefined) {
    const body = preflightBodyOf(invocation);
    const token = invocation.options.token ?? environment.KERNEL_LEDGER_TOKEN;
    return preflightOutput(
      await preflightOverHttp(invocation.options.url, token, body),
      invocation.options.json === 'true',
    );
  }
  const env = cliEnvironment(invocation, environment);
  if (invocation.command !== 'snapshot' && !existsSync(env.DB_PATH)) {
    throw new CliFailure(`no database at ${env.DB_PATH} (set DB_PATH or pass --db)`);
  }
  if (invocation.command === 'snapshot' && invocation.options.force !== 'true') {
    await refuseWhileAgentRecords(env, Date.now());
  }
  return withContext(env, (context) => execute(context, invocation));
}

/** The agent's environment, validated the same way, with the CLI's overrides. */
function cliEnvironment(invocation: CliInvocation, environment: NodeJS.ProcessEnv): EnvironmentVariables {
  const overrides: Record<string, string> = {
    // The CLI never listens: an agent's HOST/PORT in the environment must not stop it.
    HOST: '127.0.0.1',
    PORT: '0',
    CLI_MODE: 'true',
    READ_ONLY: invocation.command === 'snapshot' ? 'false' : 'true',
  };
  if (invocation.options.db !== undefined) overrides.DB_PATH = invocation.options.db;
  if (invocation.options.proc !== undefined) overrides.PROC_ROOT = invocation.options.proc;
  return validateEnvironment({ ...environment, ...overrides });
}

/**
 * The agent keeps the last committed state in memory (LastKnownState): a snapshot written by another
 * process behind its back would make its next one compare against stale state. So `snapshot` refuses when
 * the newest snapshot in the file is a scheduled one younger than two intervals.
 */
async function refuseWhileAgentRecords(env: EnvironmentVariables, now: number): Promise<void> {
  if (!existsSync(env.DB_PATH)) return;
  const last = await lastSnapshotIn(env.DB_PATH);
  if (!last || !['startup', 'schedule'].includes(last.trigger)) return;
  const age = now - last.taken_at;
  if (age >= 0 && age < 2 * env.SNAPSHOT_INTERVAL * 1000) {
    throw new CliFailure(
      `an agent seems to be recording into ${env.DB_PATH} (its last ${last.trigger} snapshot is ` +
        `${Math.round(age / 1000)} s old): ask it instead (POST /api/v1/snapshots), or pass --force`,
    );
  }
}

async function withContext<T>(
  env: EnvironmentVariables,
  work: (context: INestApplicationContext) => Promise<T>,
): Promise<T> {
  const context = await NestFactory.createApplicationContext(AppModule.forRoot(env), {
    logger: false,
    abortOnError: false,
  });
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}

async function execute(
  context: INestApplicationContext,
  invocation: CliInvocation,
): Promise<string | CommandOutput> {
  const { options } = invocation;
  const json = options.json === 'true';
  const print = (value: unknown): string => JSON.stringify(value, null, 2);
  switch (invocation.command) {
    case 'snapshot': {
      const snapshots = context.get(SnapshotService);
      await snapshots.prepare();
      const summary = await snapshots.runOnce('cli');
      const detail = await wholeSnapshot(context.get(SnapshotsQueryService), summary.id);
      return json ? print(detail) : formatSnapshot(detail);
    }
    case 'export':
      return print(
        await context
          .get(ExportService)
          .export(parseQuery(ExportQuery, { at: options.at, namespaces: options.namespaces })),
      );
    case 'diff': {
      const diff = await wholeDiff(
        context.get(DiffService),
        parseQuery(DiffQuery, { from: options.from, to: options.to, namespace: options.namespace }),
      );
      return json ? print(diff) : formatDiff(diff);
    }
    case 'report': {
      const id = intParam('incidentId', invocation.args[0], 1, Number.MAX_SAFE_INTEGER) ?? 0;
      const report = await context.get(IncidentReportService).report(id, {
        ...parseQuery(IncidentReportQuery, { lookback: options.lookback, baseline: options.baseline }),
        limit: MAX_REPORT_SUSPECTS,
      });
      return json ? print(report) : formatReport(report);
    }
    case 'preflight':
      return preflightOutput(await preflightInProcess(context, preflightBodyOf(invocation)), json);
    case 'help':
      return USAGE;
  }
}

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { API_PREFIX } from '../../src/app.factory.js';
import { METRICS_ROUTE } from '../../src/metrics/metrics.route.js';
import { startAgent, tempDatabase } from '../helpers/agent-process.js';
import {
  type FuzzContext,
  type FuzzRequest,
  FUZZ_ROUTES,
  generateRequest,
  UNPARSEABLE_METHOD,
} from '../helpers/fuzz-catalog.js';
import { prepareFixtures } from '../helpers/fuzz-fixtures.js';
import { loadProcSysFixture, materializeProcRoot } from '../helpers/proc-fixture.js';
import {
  describeRequest,
  isJsonText,
  loopbackPool,
  rawRequest,
  type RawResponse,
} from '../helpers/raw-http.js';
import { declaredRoutes } from '../helpers/route-inventory.js';
import { SeededRandom, seedFromEnvironment } from '../helpers/seeded-random.js';
import { checkDatabase } from '../helpers/sqlite-integrity.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

/** Default seed (CI runs are reproducible); FUZZ_SEED=<n> or FUZZ_SEED=random explores further. */
const DEFAULT_SEED = 0x6b6c2026;
const COUNT = Number(process.env.FUZZ_COUNT ?? 3000);
const CONCURRENCY = 8;
/** The request phase stops sending when this runs out (whatever was sent is still judged). */
const BUDGET_MS = 50_000;

interface Outcome {
  readonly request: FuzzRequest;
  readonly response: RawResponse;
}

/** Health is the one route whose 503 is part of its contract (a failing indicator), with a terminus body. */
function isHealthVerdict(request: FuzzRequest, response: RawResponse): boolean {
  if (response.status !== 503 || !request.path.startsWith(`/${API_PREFIX}/health`)) return false;
  try {
    const body = JSON.parse(response.text) as { status?: unknown; details?: unknown };
    return body.status === 'error' && typeof body.details === 'object';
  } catch {
    return false;
  }
}

/** Why a response breaks the contract, or null. */
function problemOf({ request, response }: Outcome): string | null {
  if (response.error) return `no response: ${response.error}`;
  if (request.method === UNPARSEABLE_METHOD) {
    // Refused by Node's HTTP parser before any of the agent's code runs: a bare 400 is all it can be.
    return response.status === 400 ? null : `unparseable method answered ${response.status}`;
  }
  if (isHealthVerdict(request, response)) return null;
  if (response.status >= 500) return `status ${response.status}`;
  if (request.expectStatus !== undefined && response.status !== request.expectStatus)
    return `status ${response.status}, expected ${request.expectStatus}`;
  if (request.method === 'HEAD' || response.status === 204 || response.status === 304) return null;
  const pathOnly = request.path.split('?')[0] ?? '';
  if (/^\/docs(-json)?\/?$/.test(pathOnly) || pathOnly.startsWith('/docs/')) return null;
  if (pathOnly === '/metrics' && request.method === 'GET' && response.status === 200) {
    return /^text\/plain/.test(String(response.headers['content-type'])) ? null : 'metrics not text/plain';
  }
  const type = String(response.headers['content-type'] ?? '');
  if (!type.startsWith('application/json')) return `content-type '${type}' is not JSON`;
  if (!isJsonText(response.text)) return 'body is not JSON';
  if (response.status >= 400) {
    const body = JSON.parse(response.text) as Record<string, unknown>;
    const keys = Object.keys(body).sort().join(',');
    if (keys !== 'error,message,statusCode') return `error body keys are {${keys}}`;
    if (body.statusCode !== response.status)
      return `statusCode ${String(body.statusCode)} in a ${response.status}`;
    if (typeof body.message !== 'string' && !Array.isArray(body.message)) return 'message is not text';
    if (/\bat .+\.js:\d+:\d+/.test(response.text)) return 'a stack trace left the process';
  }
  return null;
}

async function runPool(
  baseUrl: string,
  requests: readonly FuzzRequest[],
): Promise<{ outcomes: Outcome[]; skipped: number; ms: number }> {
  const pool = loopbackPool(CONCURRENCY);
  const outcomes: Outcome[] = [];
  const started = Date.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length && Date.now() - started < BUDGET_MS) {
      const request = requests[next++] as FuzzRequest;
      // Bodies over 1 MiB and unknown methods end their connection: send them on a fresh one.
      const fresh = (request.body?.length ?? 0) > 512 * 1024 || request.method === UNPARSEABLE_METHOD;
      const response = await rawRequest(baseUrl, request, {
        ...(fresh ? {} : { agent: pool }),
        timeoutMs: 15_000,
      });
      outcomes.push({ request, response });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  pool.destroy();
  return { outcomes, skipped: requests.length - next, ms: Date.now() - started };
}

/** Prints every 5xx, one example of every other kind of offence per route, and the agent's error causes. */
function reportOffenders(offenders: readonly (Outcome & { problem: string })[], agentLog: string): void {
  const seen = new Set<string>();
  for (const o of offenders) {
    const kind = o.response.status >= 500 ? `#${o.request.index}` : `${o.request.route} ${o.problem}`;
    if (seen.has(kind)) continue;
    seen.add(kind);
    console.log(
      `# OFFENDER #${o.request.index} (${o.request.route}): ${o.problem}\n#   request:  ${describeRequest(o.request, 200)}\n` +
        `#   response: ${o.response.status} ${String(o.response.headers['content-type'] ?? '')} ${o.response.text.slice(0, 160)}`,
    );
  }
  const causes = new Map<string, number>();
  for (const line of agentLog.split('\n')) {
    const match = /"url":"([^"]{0,120})[^]*?"msg":"([^"\\]{0,200})(?:\\n\s+at ([^\\]{0,160}))?/.exec(line);
    if (!match || !line.includes('ApiExceptionFilter')) continue;
    const cause = `${match[2]} at ${match[3] ?? '?'} (e.g. ${match[1]})`;
    causes.set(cause, (causes.get(cause) ?? 0) + 1);
  }
  for (const [cause, n] of causes) console.log(`# agent error ×${n}: ${cause}`);
}

function summarize(outcomes: readonly Outcome[]): string {
  const byStatus = new Map<string, number>();
  const byRoute = new Map<string, number>();
  for (const { request, response } of outcomes) {
    const status = response.error ? 'error' : String(response.status);
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    byRoute.set(request.route, (byRoute.get(request.route) ?? 0) + 1);
  }
  const statuses = [...byStatus].sort().map(([s, n]) => `${s}×${n}`);
  const routes = [...byRoute].sort().map(([r, n]) => `    ${String(n).padStart(4)}  ${r}`);
  return `  statuses: ${statuses.join(' ')}\n  requests per route:\n${routes.join('\n')}`;
}

test('the fuzz catalog covers every route the controllers declare', async () => {
  const declared = await declaredRoutes(API_PREFIX, [`GET /${METRICS_ROUTE.path}`]);
  assert.ok(
    declared.length >= 30,
    `found only ${declared.length} routes: is the compiled src next to the test?`,
  );
  const known = new Set(FUZZ_ROUTES.map((r) => `${r.method} ${r.path}`));
  const missing = declared
    .map((r) => `${r.method} ${r.path} (${r.controller})`)
    .filter((r) => !known.has(r.split(' (')[0] as string));
  assert.deepEqual(missing, [], 'add these routes to FUZZ_ROUTES in test/helpers/fuzz-catalog.ts');
});

test('thousands of malformed requests to every route: no 5xx, JSON errors, the agent survives, the DB is sound', async () => {
  const seed = seedFromEnvironment(DEFAULT_SEED);
  console.log(`# fuzz seed ${seed} (0x${seed.toString(16)}); rerun with FUZZ_SEED=${seed}`);
  for (const name of ['API_TOKEN', 'API_READ_TOKEN', 'AUTH_READS', 'READ_ONLY']) delete process.env[name];
  const receiver = await WebhookReceiver.start();
  const db = tempDatabase('fuzz');
  // The captured /proc/sys of test/fixtures (host only): a snapshot takes milliseconds on any machine, so
  // one runs every second through the whole fuzz. FUZZ_REAL_PROC=1 reads this host's /proc instead.
  const procDir = mkdtempSync(path.join(tmpdir(), 'kl-fuzz-proc-'));
  const realProc = process.env.FUZZ_REAL_PROC === '1';
  if (!realProc) {
    materializeProcRoot(procDir, loadProcSysFixture());
    writeFileSync(path.join(procDir, 'uptime'), '86400.00 170000.00\n');
  }
  const agent = await startAgent({
    DB_PATH: db.dbPath,
    ...(realProc
      ? {}
      : {
          PROC_ROOT: procDir,
          DOCKER_SOCKET: path.join(procDir, 'no-docker.sock'),
          NETNS_DIR: path.join(procDir, 'no-netns'),
        }),
    SNAPSHOT_INTERVAL: '1',
    LOG_LEVEL: 'error',
    // Mutations are fuzzed for their validation, not for the rate limiter (which would answer most with 429).
    RATE_LIMIT_PER_MINUTE: '100000',
    WEBHOOK_POLL_INTERVAL_MS: '200',
    WEBHOOK_BACKOFF_BASE_MS: '50',
    WEBHOOK_TIMEOUT_MS: '1000',
  });
  let stopped = false;
  // A value that keeps changing, so the snapshots taken during the fuzz write history and webhook events.
  let churn = 0;
  const churner = realProc
    ? undefined
    : setInterval(
        () =>
          writeFileSync(path.join(procDir, 'sys', 'net', 'core', 'somaxconn'), `${4096 + (churn++ % 7)}\n`),
        700,
      );
  try {
    const ctx: FuzzContext = await prepareFixtures(agent.baseUrl, `http://127.0.0.1:${receiver.port}/hook`);
    const rng = new SeededRandom(seed);
    const requests = Array.from({ length: COUNT }, (_, i) =>
      generateRequest(i, rng, ctx, i < FUZZ_ROUTES.length ? i : undefined),
    );
    const { outcomes, skipped, ms } = await runPool(agent.baseUrl, requests);
    console.log(
      `# fuzz: ${outcomes.length} of ${requests.length} requests in ${ms} ms (${skipped} not sent: budget), ` +
        `concurrency ${CONCURRENCY}\n${summarize(outcomes)}`,
    );
    const offenders = outcomes
      .map((o) => ({ ...o, problem: problemOf(o) }))
      .filter((o): o is Outcome & { problem: string } => o.problem !== null)
      .sort((a, b) => a.request.index - b.request.index);
    reportOffenders(offenders, agent.output());
    clearInterval(churner);
    const aliveAfterFuzz = agent.child.exitCode === null && agent.child.signalCode === null;
    const health = await rawRequest(agent.baseUrl, { method: 'GET', path: `/${API_PREFIX}/health` });
    await agent.stop();
    stopped = true;
    const report = checkDatabase(db.dbPath);
    console.log(`# after the fuzz: health ${health.status}; integrity_check ${report.integrity.join(', ')}`);

    assert.ok(aliveAfterFuzz, `the agent exited during the fuzz:\n${agent.output().slice(-4000)}`);
    assert.ok([200, 503].includes(health.status), `health answered ${health.status} ${health.error ?? ''}`);
    assert.equal(typeof (JSON.parse(health.text) as { status?: unknown }).status, 'string');
    assert.deepEqual(report.integrity, ['ok'], 'PRAGMA integrity_check');
    assert.deepEqual(report.foreignKeyViolations, [], 'PRAGMA foreign_key_check');
    const fuzzed = new Set(outcomes.map((o) => o.request.route));
    const unfuzzed = FUZZ_ROUTES.map((r) => `${r.method} ${r.path}`).filter((r) => !fuzzed.has(r));
    assert.deepEqual(unfuzzed, [], 'routes that got no request');
    assert.ok(outcomes.length >= Math.min(COUNT, 1000), `only ${outcomes.length} requests fit in the budget`);
    const kinds = [...new Set(offenders.map((o) => `${o.problem} on ${o.request.route}`))];
    assert.equal(
      offenders.length,
      0,
      `seed ${seed}: ${offenders.length} responses broke the contract (see OFFENDER lines):\n  ${kinds.slice(0, 40).join('\n  ')}`,
    );
  } finally {
    clearInterval(churner);
    if (!stopped) await agent.stop();
    await receiver.down();
    db.cleanup();
    rmSync(procDir, { recursive: true, force: true });
  }
});

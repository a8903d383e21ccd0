import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startAgent, tempDatabase } from '../helpers/agent-process.js';
import { type FileAccessTrace, straceAvailable, traceFileAccess } from '../helpers/file-access-trace.js';
import { prepareFixtures } from '../helpers/fuzz-fixtures.js';
import { REQUIRED, isRoot } from '../helpers/privileges.js';
import { loadProcSysFixture, materializeProcRoot } from '../helpers/proc-fixture.js';
import {
  describeRequest,
  loopbackPool,
  rawRequest,
  type RawRequest,
  type RawResponse,
} from '../helpers/raw-http.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

const API = '/api/v1';

/**
 * Traversal payloads as they appear in the URL (already percent-encoded where meant to be). Each names
 * /etc/shadow, /proc/1/environ or the canary file, raw, encoded, double-encoded, with NUL bytes, overlong
 * UTF-8, look-alike unicode, or at lengths no name has.
 */
function payloads(canary: string): string[] {
  const relativeCanary = `../../../../../../..${canary}`;
  return [
    '../../etc/shadow',
    '..%2F..%2Fetc%2Fshadow',
    '..%2f..%2f..%2f..%2f..%2f..%2fetc%2fshadow',
    '%2e%2e%2f%2e%2e%2fetc%2fshadow',
    '%2e%2e/%2e%2e/etc/shadow',
    '%252e%252e%252f%252e%252e%252fetc%252fshadow',
    '..%252F..%252Fetc%252Fshadow',
    '/etc/shadow',
    '%2Fetc%2Fshadow',
    '%2Fproc%2F1%2Fenviron',
    '%2Fproc%2Fself%2Fenviron',
    encodeURIComponent(canary),
    encodeURIComponent(relativeCanary),
    relativeCanary,
    '..%5C..%5Cetc%5Cshadow',
    '....%2F%2F....%2F%2Fetc%2Fshadow',
    '.%2E%2F.%2E%2Fetc%2Fshadow',
    '..;%2F..;%2Fetc%2Fshadow',
    '%00',
    '..%2F..%2Fetc%2Fshadow%00',
    'net.core.somaxconn%00..%2F..%2Fetc%2Fshadow',
    '%2Fetc%2Fshadow%00.json',
    '%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afshadow',
    '%e0%80%ae%e0%80%ae%2fetc%2fshadow',
    '%EF%BC%8E%EF%BC%8E%EF%BC%8F%EF%BC%8E%EF%BC%8E%EF%BC%8Fetc%EF%BC%8Fshadow',
    '%E2%80%A5%2Fetc%2Fshadow',
    '..%E2%88%95..%E2%88%95etc%E2%88%95shadow',
    '%E2%80%AEwodahs%2Fcte%2F..%2F..',
    'file%3A%2F%2F%2Fetc%2Fshadow',
    'net.core.somaxconn%2F..%2F..%2F..%2F..%2Fetc%2Fshadow',
    'a'.repeat(4096),
    `${'%2e%2e%2f'.repeat(1200)}etc%2fshadow`,
    `${'a.'.repeat(2000)}shadow`,
  ];
}

/** The payload as a server would decode it, for JSON bodies (undecodable ones are sent as written). */
function decoded(literal: string): string {
  try {
    return decodeURIComponent(literal);
  } catch {
    return literal;
  }
}

interface Slot {
  readonly name: string;
  readonly method: string;
  /** Path and query for a payload. */
  readonly target: (p: string) => string;
  readonly body?: (p: string) => unknown;
  /**
   * A filter rather than a name (signature, prefix, text search, subscription globs): besides 400/404 it may
   * answer 200 with nothing matched, or store the pattern as inert text (201).
   */
  readonly filter?: boolean;
}

function slots(webhookId: number, incidentId: number, bundle: unknown, receiverUrl: string): Slot[] {
  const W = `${API}/webhooks/${webhookId}`;
  return [
    { name: 'GET /settings/:key', method: 'GET', target: (p) => `${API}/settings/${p}` },
    { name: 'GET /settings/:key/history', method: 'GET', target: (p) => `${API}/settings/${p}/history` },
    { name: 'GET /namespaces/:ns', method: 'GET', target: (p) => `${API}/namespaces/${p}` },
    { name: 'GET /namespaces/:ns/settings', method: 'GET', target: (p) => `${API}/namespaces/${p}/settings` },
    { name: 'GET /baselines/:name', method: 'GET', target: (p) => `${API}/baselines/${p}` },
    { name: 'DELETE /baselines/:name', method: 'DELETE', target: (p) => `${API}/baselines/${p}` },
    { name: 'GET /diff/baseline/:name', method: 'GET', target: (p) => `${API}/diff/baseline/${p}` },
    { name: 'GET /snapshots/:id', method: 'GET', target: (p) => `${API}/snapshots/${p}` },
    { name: 'GET /incidents/:id', method: 'GET', target: (p) => `${API}/incidents/${p}` },
    { name: 'DELETE /incidents/:id', method: 'DELETE', target: (p) => `${API}/incidents/${p}` },
    { name: 'GET /incidents/:id/report', method: 'GET', target: (p) => `${API}/incidents/${p}/report` },
    { name: 'GET /webhooks/:id', method: 'GET', target: (p) => `${API}/webhooks/${p}` },
    {
      name: 'PATCH /webhooks/:id',
      method: 'PATCH',
      target: (p) => `${API}/webhooks/${p}`,
      body: () => ({ description: 'traversal' }),
    },
    { name: 'DELETE /webhooks/:id', method: 'DELETE', target: (p) => `${API}/webhooks/${p}` },
    { name: 'POST /webhooks/:id/test', method: 'POST', target: (p) => `${API}/webhooks/${p}/test` },
    { name: 'GET /webhooks/:id/deliveries', method: 'GET', target: (p) => `${API}/webhooks/${p}/deliveries` },
    {
      name: 'POST /webhooks/:id/deliveries/:deliveryId/redeliver',
      method: 'POST',
      target: (p) => `${W}/deliveries/${p}/redeliver`,
    },
    { name: 'GET /settings?namespace', method: 'GET', target: (p) => `${API}/settings?namespace=${p}` },
    {
      name: 'GET /settings?prefix',
      method: 'GET',
      target: (p) => `${API}/settings?prefix=${p}`,
      filter: true,
    },
    { name: 'GET /settings?q', method: 'GET', target: (p) => `${API}/settings?q=${p}`, filter: true },
    {
      name: 'GET /settings/:key/history?namespace',
      method: 'GET',
      target: (p) => `${API}/settings/net.core.somaxconn/history?namespace=${p}`,
    },
    {
      name: 'GET /namespaces/:ns/settings?prefix',
      method: 'GET',
      target: (p) => `${API}/namespaces/host/settings?prefix=${p}`,
      filter: true,
    },
    { name: 'GET /diff?namespace', method: 'GET', target: (p) => `${API}/diff?from=-1h&namespace=${p}` },
    { name: 'GET /diff/namespaces?a', method: 'GET', target: (p) => `${API}/diff/namespaces?a=${p}&b=host` },
    { name: 'GET /diff/namespaces?b', method: 'GET', target: (p) => `${API}/diff/namespaces?a=host&b=${p}` },
    { name: 'GET /limits?namespace', method: 'GET', target: (p) => `${API}/limits?namespace=${p}` },
    {
      name: 'GET /usage?namespace',
      method: 'GET',
      target: (p) => `${API}/usage?metric=files.allocated&namespace=${p}`,
    },
    { name: 'GET /usage?metric', method: 'GET', target: (p) => `${API}/usage?metric=${p}` },
    {
      name: 'GET /kernel-events?signature',
      method: 'GET',
      target: (p) => `${API}/kernel-events?signature=${p}`,
      filter: true,
    },
    {
      name: 'GET /kernel-events?namespace',
      method: 'GET',
      target: (p) => `${API}/kernel-events?namespace=${p}`,
    },
    {
      name: 'GET /incidents/:id/report?baseline',
      method: 'GET',
      target: (p) => `${API}/incidents/${incidentId}/report?baseline=${p}`,
    },
    { name: 'GET /export?namespaces', method: 'GET', target: (p) => `${API}/export?namespaces=${p}` },
    {
      name: 'GET /diff/baseline/:name?scope',
      method: 'GET',
      target: (p) => `${API}/diff/baseline/fuzz-base?scope=${p}`,
    },
    { name: 'GET /snapshots?cursor', method: 'GET', target: (p) => `${API}/snapshots?cursor=${p}` },
    {
      name: 'GET /webhooks/:id/deliveries?cursor',
      method: 'GET',
      target: (p) => `${W}/deliveries?cursor=${p}`,
    },
    {
      name: 'POST /baselines?name',
      method: 'POST',
      target: (p) => `${API}/baselines?name=${p}`,
      body: () => bundle,
    },
    {
      name: 'POST /incidents {namespace}',
      method: 'POST',
      target: () => `${API}/incidents`,
      body: (p) => ({ title: 'traversal', startedAt: '-1h', namespace: decoded(p) }),
    },
    {
      name: 'POST /webhooks {url: file}',
      method: 'POST',
      target: () => `${API}/webhooks`,
      body: (p) => ({ url: `file://${decoded(p).replace(/^\/*/, '/')}` }),
    },
    {
      name: 'PATCH /webhooks/:id {url: file}',
      method: 'PATCH',
      target: () => W,
      body: (p) => ({ url: `file://${decoded(p).replace(/^\/*/, '/')}` }),
    },
    {
      name: 'POST /webhooks {keys}',
      method: 'POST',
      target: () => `${API}/webhooks`,
      body: (p) => ({ url: receiverUrl, keys: [decoded(p)] }),
      filter: true,
    },
    {
      name: 'POST /webhooks {namespaces}',
      method: 'POST',
      target: () => `${API}/webhooks`,
      body: (p) => ({ url: receiverUrl, namespaces: [decoded(p)] }),
      filter: true,
    },
  ];
}

interface Sent {
  readonly slot: Slot;
  readonly request: RawRequest;
  readonly response: RawResponse;
}

/** Why a response is wrong, or null. `secrets` must never appear in a body. */
function problemOf({ slot, response }: Sent, secrets: readonly RegExp[]): string | null {
  if (response.error) return `no response: ${response.error}`;
  for (const secret of secrets)
    if (secret.test(response.text)) return `the body holds file content (${secret})`;
  const type = String(response.headers['content-type'] ?? '');
  if (!type.startsWith('application/json')) return `status ${response.status}, content-type '${type}'`;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(response.text) as Record<string, unknown>;
  } catch {
    return `status ${response.status}, body is not JSON`;
  }
  if (slot.filter && response.status === 200) {
    const items = body.items;
    return Array.isArray(items) && items.length === 0 ? null : 'a filter matched something';
  }
  if (slot.filter && response.status === 201) return null;
  if (response.status !== 400 && response.status !== 404)
    return `status ${response.status} (400 or 404 expected)`;
  const keys = Object.keys(body).sort().join(',');
  if (keys !== 'error,message,statusCode') return `error body keys {${keys}}`;
  if (body.statusCode !== response.status) return `statusCode ${String(body.statusCode)}`;
  return null;
}

/** Sets atime a day back (mtime now), so that under relatime any read of the file moves its atime. */
function armAtime(file: string): number {
  const now = Date.now() / 1000;
  utimesSync(file, now - 86_400, now);
  return statSync(file).atimeMs;
}

test('traversal attempts on every route that takes a key, name, id or signature: 400/404 JSON, no file opened', async (t) => {
  for (const name of ['API_TOKEN', 'API_READ_TOKEN', 'AUTH_READS', 'READ_ONLY']) delete process.env[name];
  const canaryDir = mkdtempSync(path.join(tmpdir(), 'kl-canary-'));
  const canary = path.join(canaryDir, 'canary-secret.txt');
  const control = path.join(canaryDir, 'atime-control.txt');
  const secret = `canary-${randomBytes(12).toString('hex')}`;
  writeFileSync(canary, `${secret}\n`);
  writeFileSync(control, 'control\n');
  // The agent checks DOCKER_SOCKET on every /health: a file syscall on the request path that strace must see.
  const dockerProbe = path.join(canaryDir, 'docker-probe.sock');
  const procDir = mkdtempSync(path.join(tmpdir(), 'kl-traversal-proc-'));
  materializeProcRoot(procDir, loadProcSysFixture());
  writeFileSync(path.join(procDir, 'uptime'), '86400.00 170000.00\n');
  const receiver = await WebhookReceiver.start();
  const db = tempDatabase('traversal');
  const agent = await startAgent({
    DB_PATH: db.dbPath,
    PROC_ROOT: procDir,
    DOCKER_SOCKET: dockerProbe,
    NETNS_DIR: path.join(procDir, 'no-netns'),
    SNAPSHOT_INTERVAL: '3600',
    RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'error',
  });
  let trace: FileAccessTrace | undefined;
  try {
    const ctx = await prepareFixtures(agent.baseUrl, receiver.url());
    const webhookId = ctx.webhookIds[0] as number;
    const incidentId = ctx.incidentIds[0] as number;

    const canTrace = isRoot() && straceAvailable();
    if (canTrace) {
      trace = await traceFileAccess(agent.child.pid as number, `${canaryDir}.strace`);
    } else {
      const reason = `strace ${straceAvailable() ? 'needs root (ptrace)' : 'is not installed (Debian package strace)'}`;
      if (REQUIRED) throw new Error(`REQUIRE_DOCKER=1 but ${reason}`);
      t.diagnostic(`file-open tracing skipped: ${reason}; status, body and atime checks still run`);
    }
    const canaryAtime = armAtime(canary);
    const controlAtime = armAtime(control);
    readFileSync(control);
    const atimeWorks = statSync(control).atimeMs !== controlAtime;
    if (!atimeWorks) t.diagnostic('this filesystem does not move atime on read: the atime check is skipped');

    const all = payloads(canary);
    const jobs: { slot: Slot; request: RawRequest }[] = [];
    for (const slot of slots(webhookId, incidentId, ctx.bundle, receiver.url())) {
      for (const p of all) {
        const body = slot.body?.(p);
        jobs.push({
          slot,
          request: {
            method: slot.method,
            path: slot.target(p),
            ...(body === undefined
              ? {}
              : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
          },
        });
      }
    }
    const pool = loopbackPool(4);
    const sent: Sent[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const job = jobs[next++] as { slot: Slot; request: RawRequest };
        sent.push({ ...job, response: await rawRequest(agent.baseUrl, job.request, { agent: pool }) });
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    pool.destroy();

    // Positive controls: a /health (stat of DOCKER_SOCKET, on the main thread) and a snapshot (reads under
    // PROC_ROOT, from the libuv pool threads) must show in the trace, or the trace proves nothing.
    await rawRequest(agent.baseUrl, { method: 'GET', path: `${API}/health` });
    await rawRequest(agent.baseUrl, { method: 'POST', path: `${API}/snapshots` });
    await trace?.stop();
    const alive = agent.child.exitCode === null && agent.child.signalCode === null;

    const secrets = [new RegExp(secret), /root:[^:\n]*:\d+:/, /(^|\0)PATH=/];
    const offenders = sent
      .map((s) => ({ ...s, problem: problemOf(s, secrets) }))
      .filter((s): s is Sent & { problem: string } => s.problem !== null);
    const byStatus = new Map<number, number>();
    for (const s of sent) byStatus.set(s.response.status, (byStatus.get(s.response.status) ?? 0) + 1);
    console.log(
      `# traversal: ${sent.length} requests (${all.length} payloads × ${jobs.length / all.length} slots); statuses ` +
        [...byStatus].map(([s, n]) => `${s}×${n}`).join(' '),
    );
    for (const o of offenders.slice(0, 30)) {
      console.log(
        `# OFFENDER (${o.slot.name}): ${o.problem}\n#   request:  ${describeRequest(o.request, 200)}\n` +
          `#   response: ${o.response.status} ${o.response.text.slice(0, 200)}`,
      );
    }
    for (const s of sent) {
      if (s.slot.filter && s.response.status === 201) {
        const id = (JSON.parse(s.response.text) as { id: number }).id;
        await rawRequest(agent.baseUrl, { method: 'DELETE', path: `${API}/webhooks/${id}` });
      }
    }

    assert.ok(alive, `the agent exited:\n${agent.output().slice(-3000)}`);
    if (atimeWorks) assert.equal(statSync(canary).atimeMs, canaryAtime, 'the canary file was read');
    assert.equal(readFileSync(canary, 'utf8'), `${secret}\n`, 'the canary is unchanged');
    if (trace) {
      const lines = trace.lines();
      console.log(`# strace: ${lines.length} file syscalls traced during the requests`);
      assert.ok(
        trace.linesMentioning(dockerProbe).length > 0,
        'control: the /health stat of DOCKER_SOCKET is traced',
      );
      assert.ok(
        trace.linesMentioning(`${procDir}/sys/`).length > 0,
        'control: the snapshot reads are traced',
      );
      for (const needle of [path.basename(canary), 'shadow', 'environ']) {
        assert.deepEqual(
          trace.linesMentioning(needle).slice(0, 5),
          [],
          `the agent touched a path with '${needle}'`,
        );
      }
    }
    assert.deepEqual(
      offenders.map((o) => `${o.slot.name}: ${o.problem}: ${describeRequest(o.request, 120)}`),
      [],
      `${offenders.length} of ${sent.length} traversal requests were not refused cleanly`,
    );
  } finally {
    await trace?.stop();
    await agent.stop();
    await receiver.down();
    db.cleanup();
    rmSync(procDir, { recursive: true, force: true });
    rmSync(canaryDir, { recursive: true, force: true });
    rmSync(`${canaryDir}.strace`, { force: true });
  }
});

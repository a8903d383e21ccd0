import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type RunningAgent, startAgent, tempDatabase } from '../helpers/agent-process.js';
import { httpJson, waitForStartupSnapshot } from '../helpers/http-json.js';

/** The compiled CLI next to this compiled test (<build>/src/cli.js). */
const CLI = path.resolve(import.meta.dirname, '..', '..', 'src', 'cli.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', TZ: 'UTC', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

interface Answer {
  source: string;
  runtime: string;
  network: string;
  rejected: boolean;
  items: { key: string; verdict: string; stage: string | null; reason: string | null; kubelet: string }[];
  notInherited: unknown[];
}

const REJECTED_COMPOSE = `services:
  web:
    image: nginx
    sysctls:
      net.core.somaxconn: 1024
      vm.max_map_count: 262144
`;
const CLEAN_POD = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'api' },
  spec: { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }] }, containers: [] },
});

describe('POST /api/v1/preflight and kernel-ledger preflight against a real agent', () => {
  const db = tempDatabase('preflight-e2e');
  let agent: RunningAgent;

  before(async () => {
    agent = await startAgent({ DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600', LOG_LEVEL: 'warn' });
    await waitForStartupSnapshot(agent.baseUrl);
    writeFileSync(path.join(db.dir, 'rejected.yml'), REJECTED_COMPOSE);
    writeFileSync(path.join(db.dir, 'pod.json'), CLEAN_POD);
  });

  after(async () => {
    await agent?.stop();
    db.cleanup();
  });

  const post = (body: unknown) =>
    httpJson<Answer & { message?: string }>(agent.baseUrl, '/api/v1/preflight', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  test('sysctls: verdicts from the rules and this kernel, nothing written', async () => {
    const answer = await post({ sysctls: { 'vm.max_map_count': 262144, 'net.core.somaxconn': '1024' } });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.runtime, 'docker');
    assert.equal(answer.body.rejected, true);
    const [map, somaxconn] = answer.body.items;
    assert.equal(map?.stage, 'cli');
    assert.equal(map?.kubelet, 'forbidden');
    assert.equal(somaxconn?.verdict, 'ok');
    const compose = await post({ sysctls: { 'kernel.domainname': 'x.example' }, runtime: 'compose' });
    assert.equal(compose.body.items[0]?.verdict, 'ok');
    const hostNet = await post({ sysctls: { 'net/core/somaxconn': '1' }, network: 'host' });
    assert.equal(hostNet.body.items[0]?.key, 'net.core.somaxconn');
    assert.equal(hostNet.body.items[0]?.stage, 'runtime-validation');
  });

  test('a manifest: Compose and Kubernetes, their namespaces and runtime', async () => {
    const compose = await post({ manifest: REJECTED_COMPOSE });
    assert.equal(compose.status, 200);
    assert.equal(compose.body.source, 'compose service web');
    assert.equal(compose.body.runtime, 'compose');
    assert.equal(compose.body.items.find((i) => i.key === 'vm.max_map_count')?.stage, 'runtime-validation');
    const pod = await post({ manifest: CLEAN_POD });
    assert.equal(pod.body.runtime, 'kubernetes');
    assert.equal(pod.body.items[0]?.kubelet, 'safe');
    assert.equal(pod.body.rejected, false);
  });

  test('bad input is a 400 naming the field, never a 500', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /^sysctls: give sysctls/],
      [{ sysctls: { 'a..b': '1' } }, /^sysctls: 'a..b' is not a sysctl key/],
      [
        { sysctls: { 'net.core.somaxconn': { nested: 1 } } },
        /^sysctls: net.core.somaxconn: the value must be/,
      ],
      [{ sysctls: { a: '1' }, manifest: 'services: {}' }, /^manifest: give either/],
      [{ manifest: '{"services": ' }, /^manifest: not valid YAML or JSON/],
      [{ manifest: 'kind: ConfigMap' }, /^manifest: no Compose service/],
      [{ manifest: REJECTED_COMPOSE, service: 'db' }, /^manifest: service 'db' is not in the manifest/],
      [{ sysctls: { a: '1' }, service: 'x' }, /^service: only goes with manifest/],
      [{ sysctls: { a: '1' }, runtime: 'podman' }, /runtime must be one of/],
      [
        { sysctls: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`net.k${i}`, '1'])) },
        /^sysctls: at most 256 sysctls/,
      ],
    ];
    for (const [body, message] of cases) {
      const answer = await post(body);
      assert.equal(answer.status, 400, `${JSON.stringify(body).slice(0, 80)} → ${answer.status}`);
      const text = ([] as string[]).concat(answer.body.message ?? '').join('; ');
      assert.match(text, message);
    }
    // A manifest over the request body limit (BODY_LIMIT, 256 KiB) never reaches validation.
    const huge = await post({ manifest: 'x'.repeat(300 * 1024) });
    assert.equal(huge.status, 413);
  });

  test('GET /not-inherited and /namespaces/:ns/not-inherited answer from the database', async () => {
    const report = await httpJson<{ keys: unknown[]; sets: unknown[] }>(
      agent.baseUrl,
      '/api/v1/not-inherited',
    );
    assert.equal(report.status, 200);
    assert.ok(Array.isArray(report.body.keys) && Array.isArray(report.body.sets));
    const host = await httpJson<{ namespace: string; keys: unknown[] }>(
      agent.baseUrl,
      '/api/v1/namespaces/host/not-inherited',
    );
    assert.deepEqual(host.body, { namespace: 'host', keys: [] });
    const missing = await httpJson(agent.baseUrl, '/api/v1/namespaces/no-such-set/not-inherited');
    assert.equal(missing.status, 404);
  });

  test('the CLI asks the running agent (--url) and its database (--db): exit 1 rejected, 0 clean, 2 usage', async () => {
    const rejected = await cli(['preflight', path.join(db.dir, 'rejected.yml'), '--url', agent.baseUrl]);
    assert.equal(rejected.status, 1, rejected.stderr);
    assert.match(
      rejected.stdout,
      /^preflight of compose service web \(compose, network private, ipc private\)/,
    );
    assert.match(
      rejected.stdout,
      /vm\.max_map_count\s+262144\s+rejected\s+forbidden\s+sysctl "vm.max_map_count" is not in a separate kernel namespace/,
    );
    const asDockerRun = await cli([
      'preflight',
      path.join(db.dir, 'rejected.yml'),
      '--url',
      agent.baseUrl,
      '--runtime',
      'docker',
      '--json',
    ]);
    assert.equal(asDockerRun.status, 1);
    assert.equal((JSON.parse(asDockerRun.stdout) as Answer).items[1]?.stage, 'cli');
    const clean = await cli(['preflight', path.join(db.dir, 'pod.json'), '--url', agent.baseUrl]);
    assert.equal(clean.status, 0, clean.stderr);
    assert.match(clean.stdout, /net\.ipv4\.tcp_syncookies\s+1\s+ok\s+safe/);
    const local = await cli(['preflight', path.join(db.dir, 'rejected.yml'), '--db', db.dbPath]);
    assert.equal(local.status, 1, local.stderr);
    assert.equal(local.stdout, rejected.stdout);
    const usage = await cli(['preflight', '--url', agent.baseUrl]);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /preflight needs exactly one file/);
    const missing = await cli(['preflight', path.join(db.dir, 'missing.yml'), '--url', agent.baseUrl]);
    assert.equal(missing.status, 2);
    const badRuntime = await cli([
      'preflight',
      path.join(db.dir, 'pod.json'),
      '--url',
      agent.baseUrl,
      '--runtime',
      'x',
    ]);
    assert.equal(badRuntime.status, 2);
    const unreachable = await cli([
      'preflight',
      path.join(db.dir, 'pod.json'),
      '--url',
      'http://127.0.0.1:1',
    ]);
    assert.equal(unreachable.status, 1);
    assert.match(unreachable.stderr, /cannot reach/);
  });
});

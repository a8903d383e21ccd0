import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runAgentExpectingExit, startAgent, tempDatabase } from '../helpers/agent-process.js';
import { FakeProcRoot, isolatedEnv } from '../helpers/fake-proc-root.js';
import { httpJson } from '../helpers/http-json.js';
import { rawRequest } from '../helpers/raw-http.js';
import { repoPath } from '../helpers/repo-path.js';

const TOKEN = 'write-token-0123456789abcdef';
const READ_TOKEN = 'read-token-0123456789abcdef';
const HEALTHCHECK = path.resolve(import.meta.dirname, '..', '..', 'src', 'healthcheck.js');

const modeOf = (file: string): string => (statSync(file).mode & 0o777).toString(8).padStart(4, '0');

test('refuses to start: closed reads without API_TOKEN, a token that could never be presented', async () => {
  const db = tempDatabase('fail-closed-config');
  try {
    const cases: [Record<string, string>, RegExp][] = [
      [{ AUTH_READS: 'true' }, /AUTH_READS=true needs API_TOKEN/],
      [{ AUTH_READS: 'true', API_READ_TOKEN: READ_TOKEN }, /AUTH_READS=true needs API_TOKEN/],
      [{ API_TOKEN: `${TOKEN} ` }, /API_TOKEN=<hidden>: must be printable ASCII without whitespace/],
      [
        { API_TOKEN: 'two words 0123456789' },
        /API_TOKEN=<hidden>: must be printable ASCII without whitespace/,
      ],
      [{ API_TOKEN: TOKEN, API_READ_TOKEN: READ_TOKEN }, /API_READ_TOKEN is set but AUTH_READS is not true/],
      [
        { WEBHOOK_DENY: '10.0.0.0/99', ALLOWED_HOSTS: 'https://x/' },
        /ALLOWED_HOSTS: 'https:\/\/x\/' .*; WEBHOOK_DENY: '10\.0\.0\.0\/99' /,
      ],
    ];
    for (const [env, message] of cases) {
      const run = await runAgentExpectingExit({ DB_PATH: db.dbPath, ...env });
      assert.equal(run.code, 2, `${JSON.stringify(env)}:\n${run.output}`);
      assert.match(run.output, message);
      assert.doesNotMatch(run.output, /two words|write-token|read-token/, 'tokens are never echoed');
    }
    assert.equal(existsSync(db.dbPath), false, 'nothing was created');
  } finally {
    db.cleanup();
  }
});

test('a request that names the agent by a foreign Host (DNS rebinding) is refused on every route', async () => {
  const db = tempDatabase('fail-closed-host');
  const proc = new FakeProcRoot({ 'kernel.ostype': 'Linux' });
  const agent = await startAgent({ ...isolatedEnv(proc.dir, db.dbPath), ALLOWED_HOSTS: 'ledger.example' });
  const port = new URL(agent.baseUrl).port;
  const send = (method: string, route: string, headers: Record<string, string>) =>
    rawRequest(agent.baseUrl, { method, path: route, headers });
  try {
    const snapshots = async (): Promise<number> =>
      (await httpJson<{ items: unknown[] }>(agent.baseUrl, '/api/v1/snapshots')).body.items.length;
    const before = await snapshots();
    for (const [method, route] of [
      ['GET', '/api/v1/health'],
      ['GET', '/metrics'],
      ['GET', '/docs-json'],
      ['GET', '/nowhere'],
      ['POST', '/api/v1/snapshots'],
    ] as const) {
      const refused = await send(method, route, { host: `attacker.example:${port}` });
      assert.equal(refused.status, 421, `${method} ${route}: ${refused.text}`);
      assert.equal(refused.headers['content-type'], 'application/json; charset=utf-8');
      assert.deepEqual(JSON.parse(refused.text), {
        statusCode: 421,
        error: 'Misdirected Request',
        message: `Host 'attacker.example:${port}' does not name this agent; add the name to ALLOWED_HOSTS if it is yours (DNS rebinding protection)`,
      });
    }
    assert.equal(await snapshots(), before, 'the refused POST took no snapshot');
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      `ledger.example:${port}`,
    ]) {
      assert.equal((await send('GET', '/api/v1/snapshots', { host })).status, 200, host);
      assert.equal((await send('GET', '/metrics', { host })).status, 200, host);
    }
    const crossSite = await send('POST', '/api/v1/snapshots', {
      host: `127.0.0.1:${port}`,
      origin: 'https://attacker.example',
    });
    assert.equal(crossSite.status, 403, crossSite.text);
    assert.match(JSON.parse(crossSite.text).message, /Origin 'https:\/\/attacker\.example' are refused/);
    assert.equal(await snapshots(), before, 'the cross-site POST took no snapshot');
    const sameSite = await send('POST', '/api/v1/snapshots', {
      host: `127.0.0.1:${port}`,
      origin: agent.baseUrl,
    });
    assert.equal(sameSite.status, 201, sameSite.text);
  } finally {
    await agent.stop();
    db.cleanup();
    proc.cleanup();
  }
});

test('the database, its WAL and shared memory are 0600 in a 0700 folder; an older 0644 file is fixed', async () => {
  const db = tempDatabase('fail-closed-modes');
  const proc = new FakeProcRoot({ 'kernel.ostype': 'Linux' });
  const folder = path.join(db.dir, 'state', 'ledger');
  const file = path.join(folder, 'kernel-ledger.sqlite');
  try {
    let agent = await startAgent({ ...isolatedEnv(proc.dir, file) });
    try {
      assert.equal((await httpJson(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' })).status, 201);
      assert.equal(modeOf(path.join(db.dir, 'state')), '0700');
      assert.equal(modeOf(folder), '0700');
      for (const name of [file, `${file}-wal`, `${file}-shm`]) assert.equal(modeOf(name), '0600', name);
    } finally {
      await agent.stop();
    }
    chmodSync(file, 0o644);
    agent = await startAgent({ ...isolatedEnv(proc.dir, file) });
    try {
      assert.equal(modeOf(file), '0600', 'a file left readable by an older version is made private');
      for (const name of [`${file}-wal`, `${file}-shm`]) assert.equal(modeOf(name), '0600', name);
    } finally {
      await agent.stop();
    }
    // Postmortem mode reads a copy it does not own: its mode is left alone.
    const copy = path.join(db.dir, 'copy.sqlite');
    copyFileSync(file, copy);
    chmodSync(copy, 0o644);
    const postmortem = await startAgent({}, 20_000, ['--read-only', '--db', copy]);
    try {
      assert.equal((await httpJson(postmortem.baseUrl, '/api/v1/snapshots')).status, 200);
      assert.equal(modeOf(copy), '0644');
    } finally {
      await postmortem.stop();
    }
  } finally {
    db.cleanup();
    proc.cleanup();
  }
});

function runHealthcheck(env: Record<string, string>): Promise<number | null> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(HOST|PORT|API_TOKEN|API_READ_TOKEN)$/.test(name)),
  );
  const child = spawn(process.execPath, [HEALTHCHECK], { env: { ...clean, ...env }, stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

test('the compose healthcheck passes against an agent with AUTH_READS, using the container environment', async () => {
  const compose = readFileSync(repoPath('docker-compose.yml'), 'utf8');
  assert.match(compose, /^\s+test: \[CMD, node, \/app\/dist\/src\/healthcheck\.js\]$/m);
  const db = tempDatabase('fail-closed-health');
  // A healthy agent: the kernel log follower needs the boot id and the uptime next to the fake keys.
  const proc = new FakeProcRoot({
    'kernel.ostype': 'Linux',
    'kernel.random.boot_id': readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
  });
  const closed = { API_TOKEN: TOKEN, API_READ_TOKEN: READ_TOKEN, AUTH_READS: 'true' };
  writeFileSync(path.join(proc.dir, 'uptime'), readFileSync('/proc/uptime'));
  const agent = await startAgent({ ...isolatedEnv(proc.dir, db.dbPath), ...closed });
  const where = { HOST: '127.0.0.1', PORT: new URL(agent.baseUrl).port };
  try {
    const auth = { headers: { authorization: `Bearer ${TOKEN}` } };
    await httpJson(agent.baseUrl, '/api/v1/snapshots', { method: 'POST', ...auth });
    const health = await httpJson(agent.baseUrl, '/api/v1/health', auth);
    assert.equal(health.status, 200, JSON.stringify(health.body));
    assert.equal(await runHealthcheck({ ...where, ...closed }), 0, 'the read token');
    assert.equal(await runHealthcheck({ ...where, API_TOKEN: TOKEN }), 0, 'API_TOKEN alone');
    assert.equal(await runHealthcheck(where), 1, 'without a token the closed agent refuses it');
    assert.equal(await runHealthcheck({ ...where, HOST: '0.0.0.0', ...closed }), 0, 'a wildcard bind');
  } finally {
    await agent.stop();
    db.cleanup();
    proc.cleanup();
  }
  assert.equal(await runHealthcheck({ ...where, ...closed }), 1, 'a stopped agent is unhealthy');
});

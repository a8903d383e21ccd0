import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runAgentExpectingExit, startAgent, tempDatabase } from '../helpers/agent-process.js';
import { httpJson } from '../helpers/http-json.js';

const TOKEN = 'write-token-0123456789abcdef';
const READ_TOKEN = 'read-token-0123456789abcdef';

test('a bad configuration stops the agent with every bad variable named; a wide bind needs a token', async () => {
  const db = tempDatabase('bad-config');
  try {
    const bad = await runAgentExpectingExit({
      DB_PATH: db.dbPath,
      SNAPSHOT_INTERVAL: '0',
      PORT: 'http',
      LOG_LEVEL: 'loud',
    });
    assert.equal(bad.code, 2);
    for (const name of ['SNAPSHOT_INTERVAL', 'PORT', 'LOG_LEVEL']) assert.match(bad.output, new RegExp(name));
    const wide = await runAgentExpectingExit({ DB_PATH: db.dbPath, HOST: '0.0.0.0' });
    assert.equal(wide.code, 2);
    assert.match(wide.output, /HOST="0\.0\.0\.0".*API_TOKEN/);
    const shortToken = await runAgentExpectingExit({ DB_PATH: db.dbPath, API_TOKEN: 'short' });
    assert.equal(shortToken.code, 2);
    assert.match(shortToken.output, /API_TOKEN=<hidden>/);
    assert.doesNotMatch(shortToken.output, /short/, 'tokens are never echoed');
    const flag = await runAgentExpectingExit({ DB_PATH: db.dbPath }, ['--bogus']);
    assert.equal(flag.code, 2);
    assert.match(flag.output, /--bogus/);
    const missing = `${db.dbPath}.absent`;
    const noFile = await runAgentExpectingExit({}, ['--read-only', '--db', missing]);
    assert.equal(noFile.code, 2);
    assert.match(noFile.output, /no database file to serve in read-only mode/);
    assert.ok(noFile.output.includes(missing), noFile.output);
    assert.doesNotMatch(noFile.output, /\n\s+at /, 'no stack trace');
  } finally {
    db.cleanup();
  }
});

test('with API_TOKEN, changes need the token; with AUTH_READS, reads need either token', async () => {
  const db = tempDatabase('auth');
  const agent = await startAgent({
    DB_PATH: db.dbPath,
    SNAPSHOT_INTERVAL: '3600',
    API_TOKEN: TOKEN,
    API_READ_TOKEN: READ_TOKEN,
    AUTH_READS: 'true',
  });
  const bearer = (token: string): RequestInit => ({ headers: { authorization: `Bearer ${token}` } });
  try {
    assert.equal((await httpJson(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' })).status, 401);
    assert.equal(
      (await httpJson(agent.baseUrl, '/api/v1/snapshots', { method: 'POST', ...bearer('nope') })).status,
      401,
    );
    // The read token is recognised but may only read: 403 (not 401: presenting it again cannot help).
    assert.deepEqual(
      await httpJson(agent.baseUrl, '/api/v1/snapshots', { method: 'POST', ...bearer(READ_TOKEN) }),
      {
        status: 403,
        body: {
          statusCode: 403,
          error: 'Forbidden',
          message:
            'the read token (API_READ_TOKEN) may only read: changes need Authorization: Bearer <API_TOKEN>',
        },
      },
    );
    assert.equal(
      (await httpJson(agent.baseUrl, '/api/v1/snapshots', { method: 'POST', ...bearer(TOKEN) })).status,
      201,
    );
    assert.equal((await httpJson(agent.baseUrl, '/api/v1/snapshots')).status, 401);
    assert.equal((await httpJson(agent.baseUrl, '/api/v1/snapshots', bearer(READ_TOKEN))).status, 200);
    assert.equal((await httpJson(agent.baseUrl, '/api/v1/snapshots', bearer(TOKEN))).status, 200);
    // /metrics is answered ahead of Nest's pipeline, under the same rule and error shape.
    const scrape = await fetch(`${agent.baseUrl}/metrics`);
    assert.equal(scrape.status, 401);
    assert.deepEqual(await scrape.json(), {
      statusCode: 401,
      error: 'Unauthorized',
      message: 'reads need Authorization: Bearer <API_TOKEN or API_READ_TOKEN>',
    });
    const allowed = await fetch(`${agent.baseUrl}/metrics`, bearer(READ_TOKEN));
    assert.equal(allowed.status, 200);
    assert.match(allowed.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.match(await allowed.text(), /^# TYPE kernel_ledger_snapshot_duration_seconds histogram$/m);
    assert.equal((await fetch(`${agent.baseUrl}/metrics`, bearer(TOKEN))).status, 200);
    const denied = await httpJson<{ statusCode: number; error: string; message: string }>(
      agent.baseUrl,
      '/api/v1/health',
    );
    assert.deepEqual(Object.keys(denied.body).sort(), ['error', 'message', 'statusCode']);
    const response = await fetch(`${agent.baseUrl}/api/v1/snapshots`, bearer(TOKEN));
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', 'security headers (helmet)');
    assert.equal(agent.output().includes(TOKEN), false, 'the token is never logged');
  } finally {
    await agent.stop();
    db.cleanup();
  }
});

test('postmortem mode serves a copied database read-only and never modifies it', async () => {
  const db = tempDatabase('postmortem');
  const live = await startAgent({ DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' });
  try {
    await httpJson(live.baseUrl, '/api/v1/snapshots', { method: 'POST' });
    await httpJson(live.baseUrl, '/api/v1/incidents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'outage', startedAt: '-5m' }),
    });
  } finally {
    await live.stop();
  }
  const copy = path.join(db.dir, 'copy.sqlite');
  copyFileSync(db.dbPath, copy);
  const digest = (): string => createHash('sha256').update(readFileSync(copy)).digest('hex');
  const before = digest();
  const agent = await startAgent({ SNAPSHOT_INTERVAL: '1' }, 20_000, ['--read-only', '--db', copy]);
  try {
    assert.match(agent.output(), /read-only/);
    const snapshots = await httpJson<{ items: { id: number }[] }>(agent.baseUrl, '/api/v1/snapshots');
    assert.equal(snapshots.status, 200);
    const count = snapshots.body.items.length;
    assert.ok(count >= 2);
    for (const route of [
      '/api/v1/settings?prefix=net.core.',
      '/api/v1/settings/net.core.somaxconn',
      '/api/v1/settings/net.core.somaxconn/history',
      '/api/v1/diff?from=-1h',
      '/api/v1/namespaces',
      '/api/v1/namespaces/host/settings?prefix=fs.',
      '/api/v1/shared',
      '/api/v1/incidents',
      '/api/v1/incidents/1/report',
      `/api/v1/snapshots/${snapshots.body.items[0]?.id}`,
    ]) {
      assert.equal((await httpJson(agent.baseUrl, route)).status, 200, route);
    }
    for (const [method, route] of [
      ['POST', '/api/v1/snapshots'],
      ['POST', '/api/v1/incidents'],
      ['PATCH', '/api/v1/incidents/1'],
      ['DELETE', '/api/v1/incidents/1'],
    ] as const) {
      const refused = await httpJson<{ statusCode: number; message: string }>(agent.baseUrl, route, {
        method,
      });
      assert.equal(refused.status, 405, `${method} ${route}`);
      assert.match(refused.body.message, /read-only/);
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await httpJson<{ items: unknown[] }>(agent.baseUrl, '/api/v1/snapshots');
    assert.equal(after.body.items.length, count, 'no collection in postmortem mode');
  } finally {
    await agent.stop();
  }
  assert.equal(digest(), before, 'the copied file is byte-for-byte unchanged');
  db.cleanup();
});

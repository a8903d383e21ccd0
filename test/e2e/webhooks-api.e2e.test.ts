import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tempDatabase } from '../helpers/agent-process.js';
import { FakeProcRoot, isolatedEnv } from '../helpers/fake-proc-root.js';
import { httpJson } from '../helpers/http-json.js';
import { envelopeOf, WebhookReceiver } from '../helpers/webhook-receiver.js';
import { type Agent, startAgent } from '../helpers/start-agent.js';
import { verifySignature } from '../../src/domain/webhooks/sign-payload.js';

interface Webhook {
  id: number;
  url: string;
  hasCredentials: boolean;
  events: string[];
  keys: string[];
  namespaces: string[];
  active: boolean;
  secret?: string;
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('webhook subscriptions over real HTTP', () => {
  const db = tempDatabase('webhooks-api');
  const proc = new FakeProcRoot({ 'kernel.ostype': 'Linux' });
  let agent: Agent;
  let receiver: WebhookReceiver;

  before(async () => {
    receiver = await WebhookReceiver.start();
    agent = await startAgent({
      env: isolatedEnv(proc.dir, db.dbPath),
      webhooks: { WEBHOOK_BACKOFF_BASE_MS: '20' },
    });
  });

  after(async () => {
    await agent?.close();
    await receiver?.down();
    db.cleanup();
    proc.cleanup();
  });

  test('create answers 201 with a generated secret, shown only this once', async () => {
    const created = await httpJson<Webhook>(agent.api, '/webhooks', json('POST', { url: receiver.url() }));
    assert.equal(created.status, 201);
    assert.match(created.body.secret ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(created.body.events, [
      'setting.changed',
      'limit.saturation',
      'kernel.event',
      'incident.opened',
    ]);
    const read = await httpJson<Webhook>(agent.api, `/webhooks/${created.body.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.secret, undefined);
    const list = await httpJson<{ items: Webhook[] }>(agent.api, '/webhooks');
    assert.ok(list.body.items.some((w) => w.id === created.body.id && w.secret === undefined));
  });

  test('credentials in the URL are accepted, used as Basic auth, and never echoed', async () => {
    const url = `http://alice:s3cr%40t@127.0.0.1:${receiver.port}/private`;
    const created = await httpJson<Webhook>(
      agent.api,
      '/webhooks',
      json('POST', { url, secret: 'a'.repeat(32) }),
    );
    assert.equal(created.status, 201);
    assert.equal(created.body.url, `http://***@127.0.0.1:${receiver.port}/private`);
    assert.equal(created.body.hasCredentials, true);
    for (const path of [`/webhooks/${created.body.id}`, '/webhooks']) {
      const text = await (await fetch(`${agent.api}${path}`)).text();
      assert.ok(!text.includes('alice') && !text.includes('s3cr'), `${path} leaks credentials`);
    }
    const before = receiver.requests.length;
    const ping = await httpJson<{ id: string }>(agent.api, `/webhooks/${created.body.id}/test`, {
      method: 'POST',
    });
    assert.equal(ping.status, 202);
    const [request] = (await receiver.waitForDelivered(before + 1)).slice(before);
    assert.equal(request?.headers.authorization, `Basic ${Buffer.from('alice:s3cr@t').toString('base64')}`);
  });

  test('ping is delivered signed: HMAC-SHA256(secret, "<timestamp>.<body>") verifies', async () => {
    const created = await httpJson<Webhook>(
      agent.api,
      '/webhooks',
      json('POST', { url: receiver.url('/ping') }),
    );
    const secret = created.body.secret ?? '';
    const before = receiver.delivered.length;
    const ping = await httpJson<{ id: string; event: string }>(
      agent.api,
      `/webhooks/${created.body.id}/test`,
      {
        method: 'POST',
      },
    );
    assert.equal(ping.status, 202);
    assert.equal(ping.body.event, 'ping');
    const request = (await receiver.waitForDelivered(before + 1))[before];
    assert.ok(request);
    const timestamp = Number(request.headers['x-kernel-ledger-timestamp']);
    assert.ok(Math.abs(timestamp - Date.now() / 1000) < 60, 'timestamp is unix seconds');
    assert.equal(request.headers['x-kernel-ledger-event'], 'ping');
    assert.equal(request.headers['x-kernel-ledger-delivery'], ping.body.id);
    assert.equal(request.headers['content-type'], 'application/json');
    const signature = String(request.headers['x-kernel-ledger-signature']);
    assert.match(signature, /^sha256=[0-9a-f]{64}$/);
    assert.ok(verifySignature(secret, timestamp, request.body, signature));
    assert.ok(!verifySignature('wrong-secret', timestamp, request.body, signature));
    const envelope = envelopeOf(request);
    assert.equal(envelope.id, ping.body.id);
    assert.equal(envelope.events[0]?.type, 'ping');
    const log = await httpJson<{
      items: { id: string; status: string; attempts: number; lastResponseCode: number }[];
    }>(agent.api, `/webhooks/${created.body.id}/deliveries?status=delivered`);
    assert.deepEqual(
      log.body.items.map((d) => [d.id, d.status, d.attempts, d.lastResponseCode]),
      [[ping.body.id, 'delivered', 1, 204]],
    );
  });

  test('patch changes url, events, filters and active; delete removes it', async () => {
    const created = await httpJson<Webhook>(agent.api, '/webhooks', json('POST', { url: receiver.url() }));
    const id = created.body.id;
    const patched = await httpJson<Webhook>(
      agent.api,
      `/webhooks/${id}`,
      json('PATCH', {
        url: 'https://example.invalid/x',
        events: ['namespace.appeared', 'setting.changed'],
        keys: ['net.netfilter.*'],
        namespaces: ['api-*'],
        active: false,
      }),
    );
    assert.equal(patched.status, 200);
    assert.deepEqual(
      [
        patched.body.url,
        patched.body.events,
        patched.body.keys,
        patched.body.namespaces,
        patched.body.active,
      ],
      [
        'https://example.invalid/x',
        ['setting.changed', 'namespace.appeared'],
        ['net.netfilter.*'],
        ['api-*'],
        false,
      ],
    );
    const ping = await httpJson(agent.api, `/webhooks/${id}/test`, { method: 'POST' });
    assert.equal(ping.status, 400, 'an inactive webhook cannot be pinged');
    assert.equal((await fetch(`${agent.api}/webhooks/${id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await httpJson(agent.api, `/webhooks/${id}`)).status, 404);
    assert.equal((await fetch(`${agent.api}/webhooks/${id}`, { method: 'DELETE' })).status, 404);
  });

  const invalid: [string, unknown][] = [
    ['ftp:// URL', { url: 'ftp://127.0.0.1/x' }],
    ['not a URL', { url: 'not a url' }],
    ['file: URL', { url: 'file:///etc/passwd' }],
    ['unknown event', { url: 'http://127.0.0.1/x', events: ['setting.changed', 'disk.full'] }],
    ['ping is not subscribable', { url: 'http://127.0.0.1/x', events: ['ping'] }],
    ['empty events', { url: 'http://127.0.0.1/x', events: [] }],
    ['bad key glob: empty segment', { url: 'http://127.0.0.1/x', keys: ['net..netfilter'] }],
    ['bad key glob: brackets', { url: 'http://127.0.0.1/x', keys: ['net.[ab]*'] }],
    ['bad key glob: trailing dot', { url: 'http://127.0.0.1/x', keys: ['net.netfilter.'] }],
    ['bad namespace glob', { url: 'http://127.0.0.1/x', namespaces: ['api 7'] }],
    ['events not an array', { url: 'http://127.0.0.1/x', events: 'setting.changed' }],
    ['unknown field', { url: 'http://127.0.0.1/x', color: 'red' }],
    ['short secret', { url: 'http://127.0.0.1/x', secret: 'short' }],
    ['missing url', { events: ['setting.changed'] }],
  ];
  for (const [name, body] of invalid) {
    test(`invalid subscription → 400: ${name}`, async () => {
      const response = await httpJson<{ statusCode: number; message: unknown }>(
        agent.api,
        '/webhooks',
        json('POST', body),
      );
      assert.equal(response.status, 400, JSON.stringify(response.body));
      assert.equal(response.body.statusCode, 400);
    });
  }

  test('bad ids and parameters answer 400 or 404, never 500', async () => {
    const created = await httpJson<Webhook>(agent.api, '/webhooks', json('POST', { url: receiver.url() }));
    const id = created.body.id;
    const cases: [string, RequestInit, number][] = [
      ['/webhooks/abc', {}, 400],
      ['/webhooks/999999', {}, 404],
      [`/webhooks/${id}`, json('PATCH', { url: 'gopher://x' }), 400],
      [`/webhooks/${id}`, json('PATCH', { keys: ['fs.*', 'bad glob'] }), 400],
      [`/webhooks/${id}/deliveries?status=lost`, {}, 400],
      [`/webhooks/${id}/deliveries?limit=0`, {}, 400],
      [`/webhooks/999999/deliveries`, {}, 404],
      [`/webhooks/${id}/deliveries/not-a-uuid/redeliver`, { method: 'POST' }, 400],
      [`/webhooks/${id}/deliveries/00000000-0000-4000-8000-000000000000/redeliver`, { method: 'POST' }, 404],
      ['/webhooks/999999/test', { method: 'POST' }, 404],
    ];
    for (const [path, init, status] of cases) {
      const response = await httpJson(agent.api, path, init);
      assert.equal(
        response.status,
        status,
        `${init.method ?? 'GET'} ${path}: ${JSON.stringify(response.body)}`,
      );
    }
  });
});

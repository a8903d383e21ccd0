import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getDataSourceToken } from '@nestjs/typeorm';
import Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { tempDatabase } from '../helpers/agent-process.js';
import { FakeProcRoot, isolatedEnv } from '../helpers/fake-proc-root.js';
import { httpJson } from '../helpers/http-json.js';
import { startAgent } from '../helpers/start-agent.js';
import { verifySignature } from '../../src/domain/webhooks/sign-payload.js';
import { type DeliveryEnvelope, WebhookReceiver } from '../helpers/webhook-receiver.js';

interface Handle {
  inTransaction: boolean;
  pragma(source: string, options?: { simple: boolean }): unknown;
}

interface Health {
  status: string;
  details: Record<string, { status: string } | undefined>;
  storage: { writable: boolean; problem: string | null; consecutiveFailures: number };
}

/** 300 keys whose values change with `generation`, so every snapshot writes rows. */
function values(generation: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let k = 0; k < 300; k++) out[`fake.group.key${k}`] = `${generation}-${k}-${'x'.repeat(200)}`;
  return out;
}

/**
 * "database or disk is full" from SQLite itself (the page limit of the connection stands in for a full
 * disk here; test/system/storage-faults.system.test.ts fills a real tmpfs): the snapshot fails, /health
 * reports the storage fault with SQLite's reason, and the next snapshot after space returns commits.
 */
test('a full disk fails the snapshot, /health says so, and the next snapshot commits to the file', async () => {
  const db = tempDatabase('full');
  const proc = new FakeProcRoot(values(0));
  const agent = await startAgent({
    env: isolatedEnv(proc.dir, db.dbPath),
    webhooks: { WEBHOOK_POLL_INTERVAL_MS: '100' },
  });
  const receiver = await WebhookReceiver.start();
  try {
    const hook = await httpJson<{ id: number; secret: string }>(agent.baseUrl, '/api/v1/webhooks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url(), events: ['storage.recovered'] }),
    });
    assert.equal(hook.status, 201);
    const handle = (agent.app.get(getDataSourceToken()) as DataSource).driver as unknown as {
      databaseConnection: Handle;
    };
    const conn = handle.databaseConnection;
    const snapshot = (): Promise<{ status: number; body: { message: string } }> =>
      httpJson(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
    const writableGauge = async (): Promise<string | undefined> =>
      /^kernel_ledger_storage_writable (\d)$/m.exec(
        await (await fetch(`${agent.baseUrl}/metrics`)).text(),
      )?.[1];
    const health = async (): Promise<{ status: number; body: Health }> =>
      httpJson<Health>(agent.baseUrl, '/api/v1/health');

    const countInFile = (): number => {
      const outside = new Database(db.dbPath, { readonly: true });
      try {
        return (outside.prepare('SELECT count(*) AS n FROM snapshots').get() as { n: number }).n;
      } finally {
        outside.close();
      }
    };
    assert.equal((await snapshot()).status, 201);
    assert.equal((await health()).body.storage.writable, true);
    const before = countInFile();

    conn.pragma(`max_page_count = ${Number(conn.pragma('page_count', { simple: true }))}`);
    for (let round = 1; round <= 3; round++) {
      proc.set(values(round));
      const failed = await snapshot();
      assert.equal(failed.status, 503, `snapshot on a full disk answered ${failed.status}`);
      assert.match(failed.body.message, /database or disk is full/);
      assert.equal(conn.inTransaction, false, 'the connection is left inside a transaction');
      const h = await health();
      assert.equal(h.status, 503);
      assert.equal(h.body.details.storage?.status, 'down');
      assert.equal(h.body.storage.writable, false);
      assert.match(h.body.storage.problem ?? '', /SQLITE_FULL: database or disk is full/);
      assert.equal(h.body.storage.consecutiveFailures, round);
      assert.equal(await writableGauge(), '0');
    }

    conn.pragma('max_page_count = 1073741823');
    for (let round = 4; round <= 6; round++) {
      proc.set(values(round));
      assert.equal((await snapshot()).status, 201);
      assert.equal(conn.inTransaction, false);
    }
    const recovered = await health();
    assert.equal(recovered.body.storage.writable, true);
    assert.equal(recovered.body.storage.problem, null);
    assert.equal(recovered.body.details.storage?.status, 'up');
    assert.equal(await writableGauge(), '1');

    const served = await httpJson<{ items: unknown[] }>(agent.baseUrl, '/api/v1/snapshots?limit=100');
    const inFile = countInFile();
    assert.equal(
      inFile,
      before + 3,
      'the file holds every snapshot before the outage and the three after it',
    );
    assert.equal(served.body.items.length, inFile, 'the agent serves what the file holds');

    // The first commit after the outage carried one storage.recovered notice, signed, to the subscriber.
    const [notice] = await receiver.waitForDelivered(1);
    assert.ok(notice);
    assert.equal(notice.headers['x-kernel-ledger-event'], 'storage.recovered');
    assert.ok(
      verifySignature(
        hook.body.secret,
        Number(notice.headers['x-kernel-ledger-timestamp']),
        notice.body,
        String(notice.headers['x-kernel-ledger-signature']),
      ),
    );
    const envelope = JSON.parse(notice.body) as DeliveryEnvelope;
    const outage = envelope.events[0]?.data.outage as Record<string, unknown>;
    assert.equal(outage.failedWrites, 3);
    assert.match(String(outage.reason), /database or disk is full/);
    assert.ok(Date.parse(String(outage.since)) <= Date.parse(String(outage.until)));
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(receiver.delivered.length, 1, 'one notice per outage, not one per later commit');
  } finally {
    await agent.close();
    await receiver.down();
    proc.cleanup();
    db.cleanup();
  }
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DAY_MS, HOUR_MS, hourOf } from '../../src/domain/retention/retention-cutoffs.js';
import { RetentionJob } from '../../src/retention/retention.job.js';
import { RETENTION_SETTINGS, type RetentionSettings } from '../../src/retention/retention-settings.js';
import { SnapshotService } from '../../src/snapshot/snapshot.service.js';
import { WriteLock } from '../../src/storage/write-lock.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { FakeProcRoot, isolatedEnv } from '../helpers/fake-proc-root.js';
import { type Agent, startAgent } from '../helpers/start-agent.js';

/**
 * Retention against a database built by the real migrations (the agent booted in-process on a temp file),
 * holding ~10 months of synthetic history inserted with SQL. Every expectation is computed here from the
 * synthetic rows themselves, then compared with exactly what remains.
 */
const SETTINGS: RetentionSettings = {
  windows: { usageRawDays: 30, usageHourlyDays: 120, kernelEventDays: 90, historyDays: 60, deliveryDays: 30 },
  intervalMinutes: 60,
  enabled: false, // the test runs the passes itself
};

const NOW = Date.now() - 7 * 60_000 - 1234; // deliberately not hour-aligned
const DOWNSAMPLE_BEFORE = hourOf(NOW - 30 * DAY_MS);
const DELETE_BEFORE = hourOf(NOW - 120 * DAY_MS);
const HISTORY_BEFORE = NOW - 60 * DAY_MS;
const ID = 1_000_000; // synthetic ids are in [ID, 2 × ID); the agent's later rows get ids above them
const SYNTHETIC = `"id" >= ${ID} AND "id" < ${2 * ID}`;
const AGENT = `NOT (${SYNTHETIC})`;

interface Sample {
  id: number;
  snapshotId: number;
  metric: string;
  takenAt: number;
  usage: number;
}
interface Interval {
  id: number;
  keyId: number;
  from: number;
  to: number | null;
  openedBy: number;
  closedBy: number | null;
}
interface Delivery {
  id: number;
  status: string;
  createdAt: number;
  deliveredAt: number | null;
  lastAttemptAt: number | null;
}

/** One synthetic snapshot per day for 200 days (day d at NOW - d days), plus one 300 days ago. */
const DAYS = [...Array.from({ length: 200 }, (_, i) => i + 1), 300];
const snapshotOfDay = (day: number): number => ID + day;
const dayOf = (at: number): number => Math.ceil((NOW - at) / DAY_MS);

function synthesize(): {
  samples: Sample[];
  intervals: Interval[];
  events: [number, number, number][];
  deliveries: Delivery[];
} {
  const samples: Sample[] = [];
  let id = ID;
  // conntrack: a sample every 10 minutes for 200 days, usage wandering deterministically (with ties).
  for (let at = NOW - 200 * DAY_MS + 1; at < NOW - 60_000; at += 600_000) {
    samples.push({
      id: id++,
      snapshotId: snapshotOfDay(dayOf(at)),
      metric: 'conntrack',
      takenAt: at,
      usage: (id * 37) % 23,
    });
  }
  // One dense hour 40 days ago (a sample every second for 30 minutes: 1,800 rows, two pages) holding a single peak.
  const dense = hourOf(NOW - 40 * DAY_MS) + 30 * 60_000;
  for (let k = 0; k < 1800; k++) {
    samples.push({
      id: id++,
      snapshotId: snapshotOfDay(dayOf(dense)),
      metric: 'files',
      takenAt: dense - 15 * 60_000 + k * 1000 + 1,
      usage: k === 1234 ? 999 : k % 50,
    });
  }
  // files: a few recent samples that must stay untouched.
  for (let k = 1; k <= 5; k++) {
    samples.push({
      id: id++,
      snapshotId: snapshotOfDay(1),
      metric: 'files',
      takenAt: NOW - k * 3_600_000,
      usage: k,
    });
  }
  const at = (days: number): number => NOW - days * DAY_MS;
  const s = snapshotOfDay;
  const intervals: Interval[] = [
    // key A: two intervals ended before the cutoff, one in force at it, the open one
    { id: ID + 1, keyId: 1, from: at(200), to: at(100), openedBy: s(200), closedBy: s(100) },
    { id: ID + 2, keyId: 1, from: at(100), to: at(61), openedBy: s(100), closedBy: s(61) },
    { id: ID + 3, keyId: 1, from: at(61), to: at(10), openedBy: s(61), closedBy: s(10) },
    { id: ID + 4, keyId: 1, from: at(10), to: null, openedBy: s(10), closedBy: null },
    // key B: open for 300 days
    { id: ID + 5, keyId: 2, from: at(300), to: null, openedBy: s(300), closedBy: null },
    // key C: one interval ending exactly at the cutoff (not before it), then the open one
    { id: ID + 6, keyId: 3, from: at(150), to: HISTORY_BEFORE, openedBy: s(150), closedBy: s(60) },
    { id: ID + 7, keyId: 3, from: HISTORY_BEFORE, to: null, openedBy: s(60), closedBy: null },
  ];
  // kernel events: [id, first_at, last_at]
  const events: [number, number, number][] = [
    [ID + 1, at(150), at(149)],
    [ID + 2, at(100), at(91)],
    [ID + 3, at(100), at(80)], // started long ago, ended inside the window: kept
    [ID + 4, at(10), at(10)],
  ];
  const deliveries: Delivery[] = [
    { id: ID + 1, status: 'delivered', createdAt: at(40), deliveredAt: at(40), lastAttemptAt: at(40) },
    { id: ID + 2, status: 'failed', createdAt: at(45), deliveredAt: null, lastAttemptAt: at(40) },
    { id: ID + 3, status: 'pending', createdAt: at(40), deliveredAt: null, lastAttemptAt: at(39) },
    { id: ID + 4, status: 'delivered', createdAt: at(35), deliveredAt: at(20), lastAttemptAt: at(20) },
    { id: ID + 5, status: 'failed', createdAt: at(5), deliveredAt: null, lastAttemptAt: at(4) },
  ];
  return { samples, intervals, events, deliveries };
}

/** The samples that must remain: recent ones, and before the downsample cutoff each hour's earliest max. */
function expectedSamples(samples: readonly Sample[]): Set<number> {
  const keep = new Set<number>();
  const best = new Map<string, Sample>();
  for (const sample of samples) {
    if (sample.takenAt >= DOWNSAMPLE_BEFORE) keep.add(sample.id);
    else if (sample.takenAt >= DELETE_BEFORE) {
      const bucket = `${sample.metric}/${Math.floor(sample.takenAt / HOUR_MS)}`;
      const current = best.get(bucket);
      if (
        !current ||
        sample.usage > current.usage ||
        (sample.usage === current.usage && sample.takenAt < current.takenAt)
      )
        best.set(bucket, sample);
    }
  }
  for (const sample of best.values()) keep.add(sample.id);
  return keep;
}

describe('retention on a synthetic old history', () => {
  const db = tempDatabase('retention');
  const proc = new FakeProcRoot({ 'kernel.ostype': 'Linux', 'net.core.somaxconn': '4096' });
  let agent: Agent;
  let data: ReturnType<typeof synthesize>;
  let nsId = 0;
  const sql = (query: string, parameters: unknown[] = []): Promise<unknown> =>
    agent.app.get(WriteLock).exclusive(() => agent.dataSource.query(query, parameters));
  const ids = async (table: string, where = '1 = 1'): Promise<Set<number>> =>
    new Set(
      ((await agent.dataSource.query(`SELECT "id" FROM "${table}" WHERE ${where}`)) as { id: number }[]).map(
        (r) => r.id,
      ),
    );

  before(async () => {
    agent = await startAgent({
      env: isolatedEnv(proc.dir, db.dbPath),
      configure: (builder) => builder.overrideProvider(RETENTION_SETTINGS).useValue(SETTINGS),
    });
    await agent.app.get(SnapshotService).runOnce('api'); // after the startup one: the agent's own history
    data = synthesize();
    await agent.app.get(WriteLock).exclusive(() =>
      agent.dataSource.transaction(async (em) => {
        const ns: { id: number }[] = await em.query(
          `INSERT INTO "namespaces" ("kind", "identity", "first_seen_at", "last_seen_at")
           VALUES ('container', 'synthetic-set', ?, ?) RETURNING "id"`,
          [NOW - 300 * DAY_MS, NOW - DAY_MS],
        );
        nsId = ns[0]?.id ?? 0;
        for (const day of DAYS) {
          await em.query(
            `INSERT INTO "snapshots" ("id", "taken_at", "duration_ms", "keys_read", "namespaces_read", "change_count", "errors", "trigger")
             VALUES (?, ?, 40, 100, 2, 0, '[]', 'schedule')`,
            [snapshotOfDay(day), NOW - day * DAY_MS],
          );
        }
        for (const [keyId, name] of [
          [1, 'a'],
          [2, 'b'],
          [3, 'c'],
        ] as const) {
          await em.query(
            `INSERT INTO "keys" ("id", "name", "scope", "volatile", "classification_source", "access", "first_seen_at")
             VALUES (?, ?, 'net', 0, 'builtin', 'read-write', ?)`,
            [ID + keyId, `test.retention.${name}`, NOW - 300 * DAY_MS],
          );
        }
        for (const s of data.samples) {
          await em.query(
            `INSERT INTO "usage_samples" ("id", "snapshot_id", "namespace_id", "metric", "taken_at", "usage", "limit_value")
             VALUES (?, ?, ?, ?, ?, ?, 1000)`,
            [s.id, s.snapshotId, nsId, s.metric, s.takenAt, s.usage],
          );
        }
        for (const v of data.intervals) {
          await em.query(
            `INSERT INTO "setting_values" ("id", "namespace_id", "key_id", "value", "valid_from", "valid_to", "opened_by", "closed_by")
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            [v.id, nsId, ID + v.keyId, String(v.id), v.from, v.to, v.openedBy, v.closedBy],
          );
        }
        // Boot configuration and drift: one interval closed before the cutoff (goes), one at it, one open.
        for (const table of ['configured_values', 'config_drifts']) {
          const value =
            table === 'configured_values'
              ? '"value"'
              : '"runtime", "configured", "unknown_to_kernel", "at_reboot"';
          const values = table === 'configured_values' ? "'1'" : "'2', '1', 0, 0";
          for (const [id, from, to] of [
            [ID + 1, NOW - 100 * DAY_MS, NOW - 61 * DAY_MS],
            [ID + 2, NOW - 61 * DAY_MS, HISTORY_BEFORE],
            [ID + 3, HISTORY_BEFORE, null],
          ] as const) {
            await em.query(
              `INSERT INTO "${table}" ("id", "key", ${value}, "source_file", "source_line", "valid_from", "valid_to", "opened_by", "closed_by"${table === 'configured_values' ? ', "ignore_failure"' : ''})
               VALUES (?, 'net.core.somaxconn', ${values}, '/etc/sysctl.d/90.conf', 1, ?, ?, 1, ?${table === 'configured_values' ? ', 0' : ''})`,
              [id, from, to, to === null ? null : 2],
            );
          }
        }
        for (const [id, first, last] of data.events) {
          await em.query(
            `INSERT INTO "kernel_events" ("id", "signature", "key", "namespace_id", "first_at", "last_at", "count", "sample_line", "first_seq", "last_seq", "boot_id")
             VALUES (?, 'conntrack-table-full', 'net.netfilter.nf_conntrack_max', ?, ?, ?, 3, 'nf_conntrack: table full', 1, 3, 'boot')`,
            [id, nsId, first, last],
          );
        }
        await em.query(
          `INSERT INTO "webhooks" ("id", "url", "secret", "events", "active", "created_at", "updated_at")
           VALUES (?, 'http://127.0.0.1:9/', 'secret-secret-secret', '["setting.changed"]', 0, ?, ?)`,
          [ID, NOW - 300 * DAY_MS, NOW - 300 * DAY_MS],
        );
        for (const d of data.deliveries) {
          await em.query(
            `INSERT INTO "webhook_deliveries" ("id", "delivery_id", "webhook_id", "event_type", "event_count", "body", "status",
               "attempts", "next_attempt_at", "last_attempt_at", "created_at", "delivered_at")
             VALUES (?, ?, ?, 'setting.changed', 1, '{}', ?, 1, ?, ?, ?, ?)`,
            [d.id, `d-${d.id}`, ID, d.status, NOW + DAY_MS, d.lastAttemptAt, d.createdAt, d.deliveredAt],
          );
        }
        await em.query(`UPDATE "sqlite_sequence" SET "seq" = ? WHERE "seq" >= ?`, [2 * ID, ID]);
      }),
    );
  });

  after(async () => {
    await agent?.close();
    proc.cleanup();
    db.cleanup();
  });

  test('a pass leaves exactly the hourly maxima, recent rows, live history and recent deliveries', async () => {
    const before = await ids('usage_samples');
    const agentSamples = [...before].filter((id) => id < ID);
    const agentSnapshots = await ids('snapshots', AGENT);

    // A snapshot asked for during the pass gets in between two batches instead of waiting for the pass.
    const job = agent.app.get(RetentionJob);
    let passDone = 0;
    const pass = job.run(NOW).then((report) => {
      passDone = performance.now();
      return report;
    });
    const snapshot = await agent.app.get(SnapshotService).runOnce('api');
    const snapshotDone = performance.now();
    const report = await pass;
    assert.ok(snapshot.id > 0);
    assert.ok(report.batches > 20, `${report.batches} batches`);
    assert.ok(snapshotDone < passDone, 'the snapshot committed while the pass was still running');
    assert.equal(report.complete, true);

    const expected = expectedSamples(data.samples);
    const remaining = await ids('usage_samples', SYNTHETIC);
    assert.deepEqual(remaining, expected);
    assert.equal(
      report.usageSamplesDownsampled + report.usageSamplesExpired,
      data.samples.length - expected.size,
    );
    // Spot checks of the model itself: the dense hour kept its single peak, recent rows are all there.
    const peak: { usage: number; n: number }[] = await agent.dataSource.query(
      `SELECT max("usage") AS "usage", count(*) AS "n" FROM "usage_samples" WHERE "metric" = 'files' AND "taken_at" < ?`,
      [DOWNSAMPLE_BEFORE],
    );
    assert.deepEqual(peak, [{ usage: 999, n: 1 }], 'the dense hour (1,800 rows, two pages) keeps its peak');
    const now = await ids('usage_samples');
    for (const id of agentSamples) assert.ok(now.has(id), 'the agent’s own samples stay');

    assert.deepEqual(await ids('kernel_events', SYNTHETIC), new Set([ID + 3, ID + 4]));
    assert.deepEqual(
      await ids('setting_values', SYNTHETIC),
      new Set([ID + 3, ID + 4, ID + 5, ID + 6, ID + 7]),
      'never an open interval, never the one in force at the cutoff',
    );
    assert.deepEqual(await ids('webhook_deliveries', SYNTHETIC), new Set([ID + 3, ID + 4, ID + 5]));
    assert.equal(report.settingValues, 2);
    assert.deepEqual(await ids('configured_values', SYNTHETIC), new Set([ID + 2, ID + 3]));
    assert.deepEqual(await ids('config_drifts', SYNTHETIC), new Set([ID + 2, ID + 3]));
    assert.equal(report.bootConfigIntervals, 2);
    assert.equal(report.kernelEvents, 2);
    assert.equal(report.webhookDeliveries, 2);

    // usage_samples.snapshot_id has no index: snapshots are left alone, and the report says why.
    assert.equal(report.snapshots, 0);
    assert.match(report.snapshotsSkipped ?? '', /usage_samples\.snapshot_id/);
    assert.equal((await ids('snapshots', SYNTHETIC)).size, DAYS.length);
    for (const id of agentSnapshots) assert.ok((await ids('snapshots')).has(id));
    await assertIntegrity();
  });

  test('a second pass deletes nothing; with an index on usage_samples.snapshot_id, unreferenced old snapshots go', async () => {
    const job = agent.app.get(RetentionJob);
    const again = await job.run(NOW);
    assert.deepEqual(
      [
        again.usageSamplesDownsampled,
        again.usageSamplesExpired,
        again.kernelEvents,
        again.settingValues,
        again.bootConfigIntervals,
        again.webhookDeliveries,
      ],
      [0, 0, 0, 0, 0, 0],
    );

    await sql(`CREATE INDEX "ix_test_usage_samples_snapshot" ON "usage_samples" ("snapshot_id")`);
    const agentSnapshots = await ids('snapshots', AGENT);
    const report = await job.run(NOW);
    assert.equal(report.snapshotsSkipped, null);
    const samples = (await agent.dataSource.query(
      `SELECT DISTINCT "snapshot_id" AS "id" FROM "usage_samples"`,
    )) as { id: number }[];
    const referenced = new Set([
      ...samples.map((r) => r.id),
      ...data.intervals
        .filter((v) => v.to === null || v.to >= HISTORY_BEFORE)
        .flatMap((v) => [v.openedBy, v.closedBy ?? 0]),
    ]);
    const expected = new Set(
      DAYS.filter((day) => NOW - day * DAY_MS >= HISTORY_BEFORE || referenced.has(snapshotOfDay(day))).map(
        snapshotOfDay,
      ),
    );
    assert.deepEqual(await ids('snapshots', SYNTHETIC), expected);
    assert.equal(report.snapshots, DAYS.length - expected.size);
    assert.ok(report.snapshots > 50, `${report.snapshots} snapshots pruned`);
    assert.ok(expected.has(snapshotOfDay(300)), 'the snapshot that opened a live interval stays');
    assert.ok(!expected.has(snapshotOfDay(180)), 'a day with nothing left goes');
    assert.deepEqual(await ids('snapshots', AGENT), agentSnapshots, 'recent snapshots stay');
    await assertIntegrity();

    // The agent still records after all that.
    const snapshot = await agent.app.get(SnapshotService).runOnce('api');
    assert.deepEqual(
      snapshot.errors.filter((e) => (e as { source?: string }).source !== 'docker'),
      [],
      'no error but the (absent) Docker socket',
    );
  });

  async function assertIntegrity(): Promise<void> {
    assert.deepEqual(await agent.dataSource.query(`PRAGMA integrity_check`), [{ integrity_check: 'ok' }]);
    assert.deepEqual(await agent.dataSource.query(`PRAGMA foreign_key_check`), []);
  }
});

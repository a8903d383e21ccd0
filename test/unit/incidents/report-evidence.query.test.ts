import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/all-migrations.js';
import { changeEvidenceList } from '../../../src/domain/correlation/change-rows.js';
import {
  changesSql,
  saturatedSamplesSql,
  IncidentEvidenceRepository,
} from '../../../src/storage/repositories/incident-evidence.repository.js';
import { STATE_AT_SQL, StateRepository } from '../../../src/storage/repositories/state.repository.js';

let dataSource: DataSource;

before(async () => {
  dataSource = new DataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    migrations: [...MIGRATIONS],
    synchronize: false,
    logging: false,
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  await seed(dataSource);
});

const HOST = 1;
const NETNS = 2;

/** The host and one netns (owned by netns "blue"); a global, a net-scoped and a volatile key; one change of each. */
async function seed(db: DataSource): Promise<void> {
  await db.query(
    `INSERT INTO "snapshots" ("id", "taken_at", "duration_ms", "keys_read", "namespaces_read", "change_count", "errors", "trigger")
     VALUES (1, 0, 1, 3, 2, 0, '[]', 'startup')`,
  );
  await db.query(
    `INSERT INTO "namespaces" ("id", "kind", "identity", "first_seen_at", "last_seen_at")
     VALUES (${HOST}, 'host', 'host', 0, 0), (${NETNS}, 'netns', 'net:4026532253', 0, 0)`,
  );
  await db.query(
    `INSERT INTO "owners" ("namespace_id", "kind", "ref", "name", "first_seen_at", "last_seen_at")
     VALUES (${NETNS}, 'netns', 'blue', 'blue', 0, 0)`,
  );
  await db.query(
    `INSERT INTO "keys" ("id", "name", "scope", "volatile", "child_visibility", "classification_source", "access", "first_seen_at")
     VALUES (1, 'net.netfilter.nf_conntrack_max', 'global', 0, 'mirrored', 'probe', 'readable', 0),
            (2, 'net.core.somaxconn', 'net', 0, 'isolated', 'probe', 'readable', 0),
            (3, 'fs.dentry-state', 'global', 1, NULL, 'catalog', 'readable', 0)`,
  );
  // Each (set, key) pair: 'old' until t=100, 'new' from t=100.
  const pairs: [number, number][] = [
    [HOST, 1],
    [HOST, 2],
    [HOST, 3],
    [NETNS, 1],
    [NETNS, 2],
  ];
  for (const [set, key] of pairs) {
    await db.query(
      `INSERT INTO "setting_values" ("namespace_id", "key_id", "value", "valid_from", "valid_to", "opened_by", "closed_by")
       VALUES (?, ?, 'old', 0, 100, 1, 1), (?, ?, 'new', 100, NULL, 1, NULL)`,
      [set, key, set, key],
    );
  }
}

after(async () => {
  await dataSource?.destroy();
});

test("a report's changes find each previous value by namespace, end and key, not by a range scan", async () => {
  const plan: { detail: string }[] = await dataSource.query(
    `EXPLAIN QUERY PLAN ${changesSql(3)}`,
    [1, 2, 3, 0, 1, 1, 0, 1],
  );
  const details = plan.map((row) => row.detail);
  const previous = details.find((detail) => /^SEARCH o /.test(detail));
  assert.ok(previous, details.join('\n'));
  assert.match(previous, /\(namespace_id=\? AND valid_to=\? AND key_id=\?\)/);
  assert.ok(!details.some((detail) => /^SCAN (v|o)\b/.test(detail)), details.join('\n'));
});

test("changes: the host-wide report counts the host's keys and the sets' own, never a mirror or a volatile key", async () => {
  const { rows, facts } = await new IncidentEvidenceRepository(dataSource).changes({
    namespaceIds: [HOST, NETNS],
    hostId: HOST,
    hostGlobalOnly: false,
    from: 50,
    to: 150,
  });
  const changes = changeEvidenceList(rows);
  assert.deepEqual(changes.map((c) => [c.namespace, c.owners, c.key, c.before, c.after, c.at]).sort(), [
    ['host', [], 'net.core.somaxconn', 'old', 'new', 100],
    ['host', [], 'net.netfilter.nf_conntrack_max', 'old', 'new', 100],
    ['net:4026532253', ['blue'], 'net.core.somaxconn', 'old', 'new', 100],
  ]);
  assert.deepEqual(facts.get('net.netfilter.nf_conntrack_max'), {
    scope: 'global',
    childVisibility: 'mirrored',
  });
  assert.deepEqual(facts.get('net.core.somaxconn'), { scope: 'net', childVisibility: 'isolated' });
});

test("changes: a report scoped to a set counts the host's global keys only, and nothing outside the window", async () => {
  const scoped = await new IncidentEvidenceRepository(dataSource).changes({
    namespaceIds: [NETNS],
    hostId: HOST,
    hostGlobalOnly: true,
    from: 50,
    to: 150,
  });
  assert.deepEqual(
    changeEvidenceList(scoped.rows)
      .map((c) => [c.namespace, c.key])
      .sort(),
    [
      ['host', 'net.netfilter.nf_conntrack_max'],
      ['net:4026532253', 'net.core.somaxconn'],
    ],
  );
  const before = await new IncidentEvidenceRepository(dataSource).changes({
    namespaceIds: [NETNS],
    hostId: HOST,
    hostGlobalOnly: true,
    from: 100,
    to: 150,
  });
  assert.equal(before.rows.count, 0);
  assert.deepEqual(before.facts, new Map());
});

test("a report's saturated samples come from the partial index of saturated samples, not the window's every sample", async () => {
  const plan: { detail: string }[] = await dataSource.query(
    `EXPLAIN QUERY PLAN ${saturatedSamplesSql(2, 2)}`,
    ['conntrack.entries', 'files.allocated', HOST, NETNS, 0, 1],
  );
  const details = plan.map((row) => row.detail);
  assert.ok(
    details.some((detail) => /^SEARCH s USING INDEX ix_usage_samples_saturated\b/.test(detail)),
    details.join('\n'),
  );
});

test('saturation: the highest ratio at or above the floor, in the window or in force at its start', async () => {
  const samples: [number, number, number][] = [
    // [taken_at, usage, limit]: host conntrack table
    [10, 85, 100], // in force at from = 50 (stored change-only)
    [60, 50, 100],
    [120, 90, 100],
    [130, 79, 100],
    [200, 99, 100], // after the window
  ];
  for (const [at, usage, limit] of samples) {
    await dataSource.query(
      `INSERT INTO "usage_samples" ("snapshot_id", "namespace_id", "metric", "taken_at", "usage", "limit_value")
       VALUES (1, ?, 'conntrack.entries', ?, ?, ?)`,
      [HOST, at, usage, limit],
    );
  }
  try {
    const repository = new IncidentEvidenceRepository(dataSource);
    const scope = { namespaceIds: [HOST, NETNS], hostId: HOST, hostGlobalOnly: false };
    const found = await repository.saturation({ ...scope, from: 50, to: 150 });
    assert.deepEqual(
      found.map((e) => [e.namespace, e.metric, e.key, e.ratio, e.at]),
      [['host', 'conntrack.entries', 'net.netfilter.nf_conntrack_max', 0.9, 120]],
    );
    const early = await repository.saturation({ ...scope, from: 50, to: 55 });
    assert.deepEqual(
      early.map((e) => [e.ratio, e.at]),
      [[0.85, 10]],
    );
    assert.deepEqual(await repository.saturation({ ...scope, from: 130, to: 150 }), []);
  } finally {
    await dataSource.query(`DELETE FROM "usage_samples"`);
  }
});

test('stateAt seeks each key on the history index and answers the values in force at the instant', async () => {
  const plan: { detail: string }[] = await dataSource.query(`EXPLAIN QUERY PLAN ${STATE_AT_SQL}`, [
    HOST,
    50,
    50,
    HOST,
  ]);
  const details = plan.map((row) => row.detail);
  assert.ok(
    details.some((detail) =>
      /^SEARCH x USING INDEX ix_setting_values_history \(namespace_id=\? AND key_id=\? AND valid_from<\?\)/.test(
        detail,
      ),
    ),
    details.join('\n'),
  );
  const state = new StateRepository(dataSource);
  const sorted = (m: ReadonlyMap<string, string | null>) => [...m].sort();
  assert.deepEqual(await state.stateAt(HOST, -1), new Map());
  assert.deepEqual(sorted(await state.stateAt(HOST, 99)), [
    ['fs.dentry-state', 'old'],
    ['net.core.somaxconn', 'old'],
    ['net.netfilter.nf_conntrack_max', 'old'],
  ]);
  assert.deepEqual(sorted(await state.stateAt(NETNS, 100)), [
    ['net.core.somaxconn', 'new'],
    ['net.netfilter.nf_conntrack_max', 'new'],
  ]);
});

test('valuesAt: a set first seen after the moment is read when it was first seen, never as the set it replaced', async () => {
  // The kernel gave the removed set's inode numbers to the next one: two sets, 4 until t=120, then 8 from t=130.
  const [OLD, NEW] = [3, 4];
  await dataSource.query(
    `INSERT INTO "namespaces" ("id", "kind", "identity", "net_inode", "first_seen_at", "last_seen_at")
     VALUES (${OLD}, 'set', 'net:4026532300', 4026532300, 0, 120),
            (${NEW}, 'set', 'net:4026532300~2', 4026532300, 130, 200)`,
  );
  await dataSource.query(
    `INSERT INTO "setting_values" ("namespace_id", "key_id", "value", "valid_from", "valid_to", "opened_by", "closed_by")
     VALUES (${OLD}, 2, '4', 0, 120, 1, 1), (${NEW}, 2, '8', 130, NULL, 1, NULL)`,
  );
  const repository = new IncidentEvidenceRepository(dataSource);
  const read = async (at: number): Promise<unknown[]> =>
    (await repository.valuesAt([HOST, NETNS, OLD, NEW], ['net.core.somaxconn'], at))
      .map((v) => [v.namespaceId, v.value, v.since, v.first])
      .sort();
  assert.deepEqual(await read(50), [
    [HOST, 'old', 0, true],
    [NETNS, 'old', 0, true],
    [OLD, '4', 0, true],
    [NEW, '8', 130, true],
  ]);
  assert.deepEqual(await read(125), [
    [HOST, 'new', 100, false],
    [NETNS, 'new', 100, false],
    [NEW, '8', 130, true],
  ]);
});

test('changes read again for the same window see a value written since (the kept read is for its data version)', async () => {
  const repository = new IncidentEvidenceRepository(dataSource);
  const window = { namespaceIds: [HOST], hostId: HOST, hostGlobalOnly: false, from: 50, to: 250 };
  const first = await repository.changes(window);
  assert.equal((await repository.changes(window)).rows, first.rows, 'the same read, kept');
  await dataSource.query(
    `UPDATE "setting_values" SET "valid_to" = 200, "closed_by" = 1 WHERE "namespace_id" = ? AND "key_id" = 1 AND "valid_from" = 100`,
    [HOST],
  );
  await dataSource.query(
    `INSERT INTO "setting_values" ("namespace_id", "key_id", "value", "valid_from", "valid_to", "opened_by", "closed_by")
     VALUES (?, 1, 'newer', 200, NULL, 1, NULL)`,
    [HOST],
  );
  try {
    const again = await repository.changes(window);
    assert.deepEqual(
      changeEvidenceList(again.rows)
        .map((c) => [c.key, c.before, c.after, c.at])
        .sort(),
      [
        ['net.core.somaxconn', 'old', 'new', 100],
        ['net.netfilter.nf_conntrack_max', 'new', 'newer', 200],
        ['net.netfilter.nf_conntrack_max', 'old', 'new', 100],
      ],
    );
  } finally {
    await dataSource.query(`DELETE FROM "setting_values" WHERE "valid_from" = 200`);
    await dataSource.query(
      `UPDATE "setting_values" SET "valid_to" = NULL, "closed_by" = NULL WHERE "namespace_id" = ? AND "key_id" = 1 AND "valid_from" = 100`,
      [HOST],
    );
  }
});

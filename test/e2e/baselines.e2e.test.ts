import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { after, before, describe, test } from 'node:test';
import { Baselines1764420000000 } from '../../migrations/1764420000000-baselines.js';
import { BUNDLE_LIMITS } from '../../src/api/baselines/bundle-limits.token.js';
import type { Bundle } from '../../src/domain/baselines/bundle-types.js';
import { DEFAULT_BUNDLE_LIMITS } from '../../src/domain/baselines/bundle-types.js';
import { readSysctlTree } from '../../src/os/sysctl-tree.reader.js';
import { WriteLock } from '../../src/storage/write-lock.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { ensureMigration } from '../helpers/ensure-migration.js';
import { httpJson, waitForStartupSnapshot } from '../helpers/http-json.js';
import { type Agent, startAgent } from '../helpers/start-agent.js';
import { NetnsScope } from '../helpers/netns-scope.js';
import { needsRoot } from '../helpers/privileges.js';

interface DiffEntry {
  key: string;
  scope: string;
  childVisibility: string | null;
  here: string | null;
  baseline: string | null;
  kind: string;
}
interface BaselineDiff {
  count: number;
  entries: DiffEntry[];
  kernelRelease: {
    here: string;
    baseline: string;
    differs: boolean;
    note: string | null;
    classificationDifferences: { key: string }[];
  };
}
interface ErrorBody {
  statusCode: number;
  message: string | string[];
}

/**
 * A bundle limit low enough to test cheaply, above what this host exports: a node with pods has ~130 keys per
 * veth (16,000 with 110 pods), and the real export below must fit.
 */
const MAX_KEYS = Math.max(5_000, Math.ceil((readSysctlTree('/proc').length * 1.5) / 1000) * 1000);
/** The body limit of POST /baselines asked of the lead (configureApp, BASELINE_BODY_LIMIT_BYTES). */
const BODY_LIMIT = 8 * 1024 * 1024;
const CONNTRACK_MAX = 'net.netfilter.nf_conntrack_max';
const SOMAXCONN = 'net.core.somaxconn';

describe('export, baselines and host-vs-baseline diff over real HTTP, real /proc, real migrations', () => {
  const db = tempDatabase('baselines');
  let agent: Agent;
  let exported: Bundle;

  const post = (path: string, body: unknown, raw = false) =>
    httpJson<Record<string, unknown>>(agent.baseUrl, path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw ? (body as string) : JSON.stringify(body),
    });

  before(async () => {
    const started = await startAgent({
      env: {
        DB_PATH: db.dbPath,
        SNAPSHOT_INTERVAL: '3600',
        PROC_ROOT: '/proc',
        BASELINE_BODY_LIMIT_BYTES: String(BODY_LIMIT),
      },
      configure: (b) =>
        b.overrideProvider(BUNDLE_LIMITS).useValue({ ...DEFAULT_BUNDLE_LIMITS, maxKeys: MAX_KEYS }),
    });
    agent = started;
    const migrate = (): Promise<string> =>
      ensureMigration(
        started.dataSource,
        started.app.get(WriteLock),
        'baselines',
        new Baselines1764420000000(),
      );
    await migrate();
    assert.equal(await migrate(), 'already-there', 'a second run (or a registered migration) is a no-op');
    await waitForStartupSnapshot(agent.baseUrl, 20_000);
    const snap = await httpJson(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
    assert.equal(snap.status, 201);
  });

  after(async () => {
    await agent?.close();
    db.cleanup();
  });

  test('the export bundle carries the host facts, the classification and every value of the host set', async (t) => {
    const response = await httpJson<Bundle>(agent.baseUrl, '/api/v1/export');
    assert.equal(response.status, 200);
    exported = response.body;
    t.diagnostic(`host-only bundle: ${Buffer.byteLength(JSON.stringify(exported))} bytes`);
    assert.equal(exported.format, 'kernel-ledger/bundle');
    assert.equal(exported.formatVersion, 1);
    assert.equal(exported.host.hostname, os.hostname());
    assert.equal(exported.host.kernelRelease, os.release());
    assert.equal(exported.host.bootId, readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    assert.ok(Object.keys(exported.values).length > 400, 'the host set has hundreds of values');
    assert.equal(exported.values[SOMAXCONN], readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim());
    assert.deepEqual(
      { ...exported.classification[CONNTRACK_MAX], source: undefined },
      { scope: 'global', childVisibility: 'mirrored', volatile: false, source: undefined },
    );
    assert.equal(exported.namespaces, undefined);
    const all = await httpJson<Bundle>(
      agent.baseUrl,
      `/api/v1/export?namespaces=all&at=${encodeURIComponent(exported.at)}`,
    );
    assert.equal(all.status, 200);
    assert.ok(Array.isArray(all.body.namespaces));
    t.diagnostic(
      `namespaces=all bundle: ${all.body.namespaces?.length} sets, ${Buffer.byteLength(JSON.stringify(all.body))} bytes`,
    );
    assert.deepEqual(all.body.values, exported.values);
    for (const set of all.body.namespaces ?? [])
      assert.ok(Array.isArray(set.owners) && set.identity !== 'host');
  });

  test('a bundle imported as dev lists, reads back and diffs empty against the same instant', async () => {
    const imported = await post('/api/v1/baselines?name=dev', exported);
    assert.equal(imported.status, 201, JSON.stringify(imported.body));
    assert.equal(imported.body.keys, Object.keys(exported.values).length);
    assert.equal(imported.body.replaced, false);
    const list = await httpJson<{
      items: { name: string; hostname: string; kernelRelease: string; keys: number }[];
    }>(agent.baseUrl, '/api/v1/baselines');
    assert.deepEqual(
      list.body.items.map((i) => [i.name, i.hostname, i.kernelRelease, i.keys]),
      [['dev', os.hostname(), os.release(), Object.keys(exported.values).length]],
    );
    const detail = await httpJson<{ bundle: Bundle }>(agent.baseUrl, '/api/v1/baselines/dev');
    assert.deepEqual(detail.body.bundle, exported);
    const diff = await httpJson<BaselineDiff>(
      agent.baseUrl,
      `/api/v1/diff/baseline/dev?at=${encodeURIComponent(exported.at)}`,
    );
    assert.equal(diff.status, 200);
    assert.deepEqual(diff.body.entries, []);
    assert.equal(diff.body.kernelRelease.differs, false);
    assert.equal(diff.body.kernelRelease.note, null);
  });

  test('a prod-like baseline lists host-wide keys first and calls out the kernel release', async () => {
    const modified = structuredClone(exported) as Bundle & {
      values: Record<string, string | null>;
      classification: Record<string, unknown>;
      host: { kernelRelease: string | null };
    };
    modified.values[CONNTRACK_MAX] = '12345';
    modified.values[SOMAXCONN] = '1234';
    modified.values['kernel.osrelease'] = '5.15.0-test';
    modified.host.kernelRelease = '5.15.0-test';
    modified.classification['net.core.rmem_max'] = {
      scope: 'net',
      childVisibility: 'isolated',
      volatile: false,
      source: 'probe',
    };
    assert.equal((await post('/api/v1/baselines?name=prod-like', modified)).status, 201);
    const diff = await httpJson<BaselineDiff>(
      agent.baseUrl,
      `/api/v1/diff/baseline/prod-like?at=${encodeURIComponent(exported.at)}`,
    );
    assert.equal(diff.status, 200);
    // kernel.osrelease is a uts key: namespaced, so after the mirrored conntrack limit.
    assert.deepEqual(
      diff.body.entries.map((e) => [e.key, e.scope]),
      [
        [CONNTRACK_MAX, 'global'],
        ['kernel.osrelease', 'uts'],
        [SOMAXCONN, 'net'],
      ],
    );
    assert.deepEqual(diff.body.entries[0], {
      key: CONNTRACK_MAX,
      scope: 'global',
      childVisibility: 'mirrored',
      here: exported.values[CONNTRACK_MAX],
      baseline: '12345',
      kind: 'changed',
    });
    assert.equal(diff.body.kernelRelease.differs, true);
    assert.equal(diff.body.kernelRelease.here, os.release());
    assert.match(diff.body.kernelRelease.note ?? '', /baseline was exported from Linux 5\.15\.0-test/);
    assert.deepEqual(
      diff.body.kernelRelease.classificationDifferences.map((d) => d.key),
      ['net.core.rmem_max'],
    );
    const netOnly = await httpJson<BaselineDiff>(
      agent.baseUrl,
      `/api/v1/diff/baseline/prod-like?scope=net&at=${encodeURIComponent(exported.at)}`,
    );
    assert.deepEqual(
      netOnly.body.entries.map((e) => e.key),
      [SOMAXCONN],
    );
  });

  test('a taken name answers 409 unless replace=true', async () => {
    const again = await post('/api/v1/baselines?name=dev', exported);
    assert.equal(again.status, 409);
    assert.match(String(again.body.message), /already exists/);
    const replaced = await post('/api/v1/baselines?name=dev&replace=true', exported);
    assert.equal(replaced.status, 201);
    assert.equal(replaced.body.replaced, true);
    // A bundle is parsed once per stored version: a replacement is what the next diff and export read.
    const diffOf = () =>
      httpJson<BaselineDiff>(
        agent.baseUrl,
        `/api/v1/diff/baseline/dev?at=${encodeURIComponent(exported.at)}`,
      );
    assert.equal((await diffOf()).body.count, 0);
    const changed = { ...exported, values: { ...exported.values, [SOMAXCONN]: '77' } };
    assert.equal((await post('/api/v1/baselines?name=dev&replace=true', changed)).status, 201);
    const after = await diffOf();
    assert.deepEqual(
      after.body.entries.map((e) => [e.key, e.baseline]),
      [[SOMAXCONN, '77']],
    );
    const stored = await httpJson<{ bundle: Bundle }>(agent.baseUrl, '/api/v1/baselines/dev');
    assert.equal(stored.body.bundle.values[SOMAXCONN], '77');
    assert.equal((await post('/api/v1/baselines?name=dev&replace=true', exported)).status, 201);
    assert.equal((await diffOf()).body.count, 0);
  });

  test('bad bodies and parameters answer 400 with the path named, never 500', async () => {
    const withValue = (key: string, value: unknown) => ({
      ...exported,
      values: { ...exported.values, [key]: value },
    });
    const noHost: Record<string, unknown> = { ...exported };
    delete noHost.host;
    const cases: [string, unknown, string, boolean?][] = [
      ['name=x1', { ...exported, formatVersion: '1' }, 'body.formatVersion'],
      ['name=x2', withValue(SOMAXCONN, 4096), `body.values["${SOMAXCONN}"]: must be a string`],
      ['name=x3', withValue('../../etc/shadow', 'root'), 'body.values["../../etc/shadow"]: not a sysctl key'],
      ['name=x4', withValue(SOMAXCONN, '9'.repeat(100_000)), '100000 characters exceeds the limit of 4096'],
      ['name=x5', noHost, 'body.host: must be an object'],
      ['name=x6', { ...exported, classification: [] }, 'body.classification: must be an object'],
      ['name=x7', '{"format": "kernel-ledger/bundle", ', 'JSON', true],
      ['name=x8', '"just a string"', '', true],
      ['', exported, 'name: required'],
      ['name=..', exported, 'name'],
      ['name=a%20b', exported, 'name'],
      ['name=x9&replace=maybe', exported, 'replace'],
      ['name=x9&bogus=1', exported, 'bogus'],
    ];
    for (const [query, body, mention, raw] of cases) {
      const response = await post(`/api/v1/baselines?${query}`, body, raw);
      const error = response.body as unknown as ErrorBody;
      assert.equal(response.status, 400, `${query}: ${JSON.stringify(error).slice(0, 300)}`);
      assert.ok(String(error.message).includes(mention), `${query}: ${JSON.stringify(error).slice(0, 300)}`);
    }
    const list = await httpJson<{ items: { name: string }[] }>(agent.baseUrl, '/api/v1/baselines');
    assert.deepEqual(
      list.body.items.map((i) => i.name),
      ['dev', 'prod-like'],
      'nothing invalid was stored',
    );
    const badQueries: [string, string][] = [
      ['/api/v1/export?at=tomorrow', 'at'],
      ['/api/v1/export?namespaces=some', 'namespaces'],
      ['/api/v1/diff/baseline/dev?scope=galactic', 'scope'],
      ['/api/v1/diff/baseline/dev?at=soon', 'at'],
      ['/api/v1/baselines/a%20b', 'name'],
    ];
    for (const [path, mention] of badQueries) {
      const response = await httpJson<ErrorBody>(agent.baseUrl, path);
      assert.equal(response.status, 400, path);
      assert.ok(String(response.body.message).includes(mention), `${path}: ${JSON.stringify(response.body)}`);
    }
  });

  test('too many keys and too large a body answer 413', async () => {
    const many = Object.fromEntries(Array.from({ length: MAX_KEYS + 1 }, (_, i) => [`test.k${i}`, '1']));
    const tooMany = await post('/api/v1/baselines?name=big', { ...exported, values: many });
    assert.equal(tooMany.status, 413);
    assert.match(
      String(tooMany.body.message),
      new RegExp(`${MAX_KEYS + 1} keys exceeds the limit of ${MAX_KEYS}`),
    );
    const huge = await post('/api/v1/baselines?name=huge', {
      ...exported,
      padding: 'x'.repeat(BODY_LIMIT),
    });
    assert.equal(huge.status, 413);
  });

  test('namespaces=all exports a named netns with its owner and own values, and the bundle imports', async (t) => {
    if (!needsRoot(t)) return;
    const scope = new NetnsScope();
    try {
      const name = await scope.add('baseline');
      const snap = await httpJson<{ takenAt: string }>(agent.baseUrl, '/api/v1/snapshots', {
        method: 'POST',
      });
      assert.equal(snap.status, 201);
      const all = await httpJson<Bundle>(
        agent.baseUrl,
        `/api/v1/export?namespaces=all&at=${encodeURIComponent(snap.body.takenAt)}`,
      );
      assert.equal(all.status, 200);
      const set = all.body.namespaces?.find((n) =>
        n.owners.some((o) => o.kind === 'netns' && o.name === name),
      );
      assert.ok(set, `netns ${name} in ${JSON.stringify(all.body.namespaces?.map((n) => n.identity))}`);
      assert.equal(set.values[SOMAXCONN], '4096', 'a fresh netns has the kernel default somaxconn');
      assert.equal(set.values['kernel.pid_max'], undefined, 'only the set’s own (net) values');
      const imported = await post('/api/v1/baselines?name=with-netns', all.body);
      assert.equal(imported.status, 201, JSON.stringify(imported.body).slice(0, 300));
      assert.ok(Number(imported.body.namespaces) >= 1);
      const detail = await httpJson<{ bundle: Bundle }>(agent.baseUrl, '/api/v1/baselines/with-netns');
      assert.deepEqual(detail.body.bundle, all.body);
    } finally {
      await scope.cleanup();
    }
  });

  test('unknown baselines answer 404; delete answers 204', async () => {
    for (const path of ['/api/v1/baselines/nope', '/api/v1/diff/baseline/nope']) {
      const response = await httpJson<ErrorBody>(agent.baseUrl, path);
      assert.equal(response.status, 404, path);
      assert.match(String(response.body.message), /baseline 'nope' does not exist/);
    }
    assert.equal((await httpJson(agent.baseUrl, '/api/v1/baselines/nope', { method: 'DELETE' })).status, 404);
    const early = await httpJson<ErrorBody>(agent.baseUrl, '/api/v1/export?at=2000-01-01T00:00:00Z');
    assert.equal(early.status, 404);
    const deleted = await fetch(`${agent.baseUrl}/api/v1/baselines/dev`, { method: 'DELETE' });
    assert.equal(deleted.status, 204);
    assert.equal((await httpJson(agent.baseUrl, '/api/v1/baselines/dev')).status, 404);
    assert.equal((await httpJson(agent.baseUrl, '/api/v1/diff/baseline/dev')).status, 404);
  });
});

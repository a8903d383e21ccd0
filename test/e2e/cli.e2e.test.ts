import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { EnvironmentVariables } from '../../src/config/env.schema.js';
import { startAgent, tempDatabase } from '../helpers/agent-process.js';
import { FakeProcRoot, isolatedEnv } from '../helpers/fake-proc-root.js';
import { httpJson, waitFor } from '../helpers/http-json.js';

/** The compiled CLI next to this compiled test (<build>/src/cli.js). */
const CLI = path.resolve(import.meta.dirname, '..', '..', 'src', 'cli.js');

/**
 * Background jobs stay off in CLI mode only once EnvironmentVariables declares CLI_MODE and the scheduler,
 * kmsg and webhook modules respect it (edits listed for the lead). Until then the scheduler also takes a
 * start-up snapshot in the CLI process, so the assertions that depend on exactly one snapshot are skipped.
 */
const CLI_MODE_WIRED = 'CLI_MODE' in new EnvironmentVariables();

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', TZ: 'UTC', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const checksum = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('kernel-ledger CLI, spawned against a temp database', () => {
  const db = tempDatabase('cli');
  const proc = new FakeProcRoot({ 'kernel.ostype': 'Linux', 'net.core.somaxconn': '4096' });
  const env = {
    ...isolatedEnv(proc.dir, db.dbPath),
    KMSG_PATH: path.join(proc.dir, 'no-kmsg'),
    LOG_LEVEL: 'warn',
  };
  let beforeChange = 0;
  const snapshotTriggers = (): string[] => {
    const file = new Database(db.dbPath, { readonly: true });
    try {
      const rows = file.prepare('SELECT "trigger" FROM "snapshots" ORDER BY "id"').all() as {
        trigger: string;
      }[];
      return rows.map((r) => r.trigger);
    } finally {
      file.close();
    }
  };
  let incidentId = 0;

  after(() => {
    proc.cleanup();
    db.cleanup();
  });

  test('help, and a bad command line: one line, status 2', async () => {
    const help = await run(['help'], env);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: kernel-ledger/);
    const bad = await run(['frobnicate'], env);
    assert.equal(bad.status, 2);
    assert.equal(bad.stdout, '');
    assert.equal(
      bad.stderr,
      "kernel-ledger: unknown command 'frobnicate' (commands: snapshot, export, diff, report, preflight, help; see kernel-ledger help)\n",
    );
    const badVariable = await run(['snapshot'], { ...env, SNAPSHOT_INTERVAL: '0' });
    assert.equal(badVariable.status, 2);
    assert.match(badVariable.stderr, /^kernel-ledger: invalid configuration: SNAPSHOT_INTERVAL=0: .*\n$/);
  });

  test('read commands need an existing database and never create one', async () => {
    const missing = path.join(db.dir, 'missing.sqlite');
    const result = await run(['export', '--db', missing], env);
    assert.equal(result.status, 1);
    assert.equal(result.stderr, `kernel-ledger: no database at ${missing} (set DB_PATH or pass --db)\n`);
  });

  test('snapshot creates the database and prints the snapshot; a second one prints the change', async () => {
    const first = await run(['snapshot'], env);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stderr, '');
    assert.match(
      first.stdout,
      /^snapshot \d+ taken \S+Z: \d+ keys in 1 namespace sets, \d+ changes, \d+ errors, \d+ ms\n/,
    );
    beforeChange = Date.now();
    await sleep(20);
    proc.set({ 'net.core.somaxconn': '8192' });
    const second = await run(['snapshot', '--json'], env);
    assert.equal(second.status, 0, second.stderr);
    const detail = JSON.parse(second.stdout) as {
      id: number;
      changes: { key: string; old: string; new: string }[];
    };
    assert.ok(detail.id > 0);
    if (CLI_MODE_WIRED) {
      assert.deepEqual(
        detail.changes.map((c) => [c.key, c.old, c.new]),
        [['net.core.somaxconn', '4096', '8192']],
      );
    }
  });

  test(
    'snapshot takes exactly one snapshot and starts no background job',
    { skip: !CLI_MODE_WIRED && 'CLI_MODE is not wired yet (see the report to the lead)' },
    async () => {
      const before = snapshotTriggers();
      proc.set({ 'net.core.somaxconn': '16384' });
      const result = await run(['snapshot'], env);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /\n {2}changed {2}host {2}net\.core\.somaxconn: 8192 → 16384\n/);
      const triggers = snapshotTriggers();
      assert.deepEqual(triggers.slice(0, -1), before, 'one snapshot, no start-up one');
      assert.match(triggers[triggers.length - 1] ?? '', /^(api|cli)$/);
      proc.set({ 'net.core.somaxconn': '8192' });
      const back = await run(['snapshot'], env);
      assert.equal(back.status, 0, back.stderr);
    },
  );

  test('diff, export and report read the database without modifying it', async () => {
    const sum = checksum(db.dbPath);
    const diff = await run(['diff', '--from', String(beforeChange)], env);
    assert.equal(diff.status, 0, diff.stderr);
    assert.match(
      diff.stdout,
      /^host: 1 keys differ between \S+ and \S+\n {2}changed {2}net\.core\.somaxconn: 4096 → 8192 {2}\(at \S+\)\n$/,
    );
    const diffJson = await run(
      ['diff', '--from', String(beforeChange), '--to', 'now', '--namespace', 'host', '--json'],
      env,
    );
    assert.equal(diffJson.status, 0, diffJson.stderr);
    const entries = (
      JSON.parse(diffJson.stdout) as { entries: { key: string; before: string; after: string }[] }
    ).entries;
    assert.deepEqual(
      entries.map((e) => [e.key, e.before, e.after]),
      [['net.core.somaxconn', '4096', '8192']],
    );
    const badTime = await run(['diff', '--from', String(beforeChange), '--to', 'tomorrowish'], env);
    assert.equal(badTime.status, 1, 'a bad time names the option');
    assert.match(badTime.stderr, /^kernel-ledger: --to: .*\n$/);

    const now = await run(['export'], env);
    assert.equal(now.status, 0, now.stderr);
    const bundle = JSON.parse(now.stdout) as { values: Record<string, string | null>; namespaces?: unknown };
    assert.equal(bundle.values['net.core.somaxconn'], '8192');
    assert.equal(bundle.namespaces, undefined);
    const then = await run(['export', '--at', String(beforeChange), '--namespaces', 'all'], env);
    assert.equal(then.status, 0, then.stderr);
    const old = JSON.parse(then.stdout) as { values: Record<string, string | null>; namespaces?: unknown[] };
    assert.equal(old.values['net.core.somaxconn'], '4096');
    assert.deepEqual(old.namespaces, []);
    assert.equal(checksum(db.dbPath), sum, 'read commands open the file read-only');
  });

  test('with an agent recording into the database, snapshot refuses; report explains an incident', async () => {
    const agent = await startAgent(env);
    try {
      await waitFor(
        async () =>
          (await httpJson<{ lastSnapshot: unknown }>(agent.baseUrl, '/api/v1/health')).body.lastSnapshot ??
          undefined,
        20_000,
        "the agent's start-up snapshot",
      );
      const refused = await run(['snapshot'], env);
      assert.equal(refused.status, 1);
      assert.match(
        refused.stderr,
        /^kernel-ledger: an agent seems to be recording into .* \(POST \/api\/v1\/snapshots\), or pass --force\n$/,
      );
      const created = await httpJson<{ id: number }>(agent.baseUrl, '/api/v1/incidents', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          title: 'listen queue overflows',
          startedAt: String(Date.now()),
          namespace: 'host',
        }),
      });
      assert.equal(created.status, 201);
      incidentId = created.body.id;
    } finally {
      await agent.stop();
    }
    const report = await run(['report', String(incidentId), '--lookback', '1h'], env);
    assert.equal(report.status, 0, report.stderr);
    assert.match(report.stdout, new RegExp(`^incident ${incidentId}: listen queue overflows \\(host\\)\\n`));
    assert.match(report.stdout, /\n {2}1\. net\.core\.somaxconn \[/);
    const json = await run(['report', String(incidentId), '--json', '--lookback=1h'], env);
    assert.equal(json.status, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as { incident: { id: number }; suspects: { key: string }[] };
    assert.equal(parsed.incident.id, incidentId);
    assert.equal(parsed.suspects[0]?.key, 'net.core.somaxconn');
  });

  test('errors are one line without a stack: unknown incident, bad lookback, missing --from', async () => {
    const cases: [string[], number, RegExp][] = [
      [['report', '99999'], 1, /^kernel-ledger: .*99999.*\n$/],
      [
        ['report', String(incidentId), '--lookback', 'forever'],
        1,
        /^kernel-ledger: --lookback: 'forever' is not a duration/,
      ],
      [['report', 'abc'], 1, /^kernel-ledger: --incidentId: /],
      [['diff'], 1, /^kernel-ledger: --from: required/],
      [['export', '--namespaces', 'some'], 1, /^kernel-ledger: --namespaces: /],
      [['report', '1', '--at', 'x'], 2, /^kernel-ledger: report does not take --at\n$/],
    ];
    for (const [args, status, message] of cases) {
      const result = await run(args, env);
      assert.equal(result.status, status, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
      assert.equal(result.stderr.split('\n').length, 2, `one line: ${result.stderr}`);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
      assert.equal(result.stdout, '');
    }
  });
});

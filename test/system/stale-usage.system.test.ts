import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import type { CollectionTarget, Collector, CollectorOutput } from '../../src/collectors/collector.js';
import { defaultCollectors } from '../../src/collectors/collectors.js';
import type { LimitPairView, LimitsResult, UsageResult } from '../../src/api/limits/limit.views.js';
import { LatestStateLoader } from '../../src/metrics/latest-state.loader.js';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { LatestStateReader } from '../../src/storage/latest-state.reader.js';
import { tempDatabase } from '../helpers/agent-process.js';
import { runCommand, uniqueTestName } from '../helpers/docker-engine.js';
import { httpJson, waitFor, waitForStartupSnapshot } from '../helpers/http-json.js';
import { removeStaleTestNetns } from '../helpers/netns-scope.js';
import { needsRoot } from '../helpers/privileges.js';
import { type Agent, startAgent } from '../helpers/start-agent.js';

/** A listener on 127.0.0.1:<port>; prints "ready" once it listens. */
const LISTENER = `
require('node:net').createServer().listen(Number(process.argv[1]), '127.0.0.1', () => process.stdout.write('ready\\n'));
setInterval(() => {}, 1000);
`;

/**
 * Deletes a named netns (`ip netns del`: its bind mount and file go, and with no process inside, the netns
 * itself) once armed, when the collectors reach its set: after its keys were read, before its usage is.
 * The usage read that follows enters the netns by its file, which is gone: a real failed measurement.
 */
class DeleteNetnsOnce implements Collector {
  readonly id = 'test-netns-deleter';
  private armed = false;
  deleted = false;
  constructor(private readonly name: string) {}
  arm(): void {
    this.armed = true;
  }
  async collect(target: CollectionTarget): Promise<CollectorOutput> {
    if (this.armed && target.set.owners.some((o) => o.kind === 'netns' && o.name === this.name)) {
      this.armed = false;
      await runCommand('ip', ['netns', 'del', this.name]);
      this.deleted = true;
    }
    return {};
  }
}

interface Snapshot {
  id: number;
  takenAt: string;
  errors: { target?: string; collector?: string; message: string }[];
}

async function snapshot(agent: Agent): Promise<Snapshot> {
  const taken = await httpJson<Snapshot>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
  assert.equal(taken.status, 201, JSON.stringify(taken.body));
  return taken.body;
}

async function portsOf(agent: Agent, identity: string): Promise<LimitPairView | undefined> {
  const res = await httpJson<LimitsResult>(agent.baseUrl, '/api/v1/limits');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const ports = res.body.items.find((i) => i.metric === 'ports.in_use');
  const holders = [...(ports ? [ports] : []), ...(ports?.top ?? [])];
  const mine = holders.find((h) => h.namespace === identity);
  const focused = await httpJson<LimitsResult>(
    agent.baseUrl,
    `/api/v1/limits?namespace=${encodeURIComponent(identity)}`,
  );
  const own = focused.body.items.find((i) => i.metric === 'ports.in_use' && i.namespace === identity);
  if (mine && own) assert.deepEqual([mine.stale, mine.measuredAt], [own.stale, own.measuredAt]);
  return own;
}

/** GET /usage of the set's ports: whether its last point holds now, and when it was last measured. */
async function seriesEnd(
  agent: Agent,
  identity: string,
): Promise<[boolean, string | null, number | undefined]> {
  const res = await httpJson<UsageResult>(
    agent.baseUrl,
    `/api/v1/usage?metric=ports.in_use&namespace=${encodeURIComponent(identity)}&from=-1h`,
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return [res.body.stale, res.body.measuredAt, res.body.points.at(-1)?.usage];
}

async function exportedPorts(agent: Agent, identity: string): Promise<string[]> {
  const res = await fetch(`${agent.baseUrl}/metrics`);
  assert.equal(res.status, 200);
  return (await res.text())
    .split('\n')
    .filter((l) => l.startsWith('kernel_ledger_usage{') && l.includes('metric="ports.in_use"'))
    .filter((l) => l.includes(`namespace="${identity}"`));
}

/** The ports gauge of the set as postmortem mode restores it from the database alone. */
async function restoredPorts(agent: Agent, identity: string): Promise<string[]> {
  const restored = new MetricsService();
  await new LatestStateLoader(new LatestStateReader(agent.dataSource), restored).fillFromDatabase();
  return (await restored.render())
    .split('\n')
    .filter((l) => l.startsWith('kernel_ledger_usage{') && l.includes('metric="ports.in_use"'))
    .filter((l) => l.includes(`namespace="${identity}"`));
}

async function stop(child: ChildProcess): Promise<void> {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
  await once(child, 'exit');
}

test('a named netns whose usage read fails is served stale with the time it was last measured, then not at all', async (t) => {
  if (!needsRoot(t)) return;
  await removeStaleTestNetns();
  const db = tempDatabase('stale-usage');
  const name = uniqueTestName('stale');
  let listener: ChildProcess | undefined;
  let agent: Agent | undefined;
  try {
    await runCommand('ip', ['netns', 'add', name]);
    await runCommand('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up']);
    await runCommand('ip', [
      'netns',
      'exec',
      name,
      'sysctl',
      '-q',
      '-w',
      'net.ipv4.ip_local_port_range=40000 40019',
    ]);
    listener = spawn('ip', ['netns', 'exec', name, process.execPath, '-e', LISTENER, '40005'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    listener.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(async () => (output.includes('ready') ? true : undefined), 15_000, 'the listener');

    const deleter = new DeleteNetnsOnce(name);
    const [sysctl, ...usage] = defaultCollectors();
    assert.equal(sysctl?.id, 'sysctl');
    agent = await startAgent({
      env: { DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' },
      collectors: [sysctl, deleter, ...usage],
    });
    await waitForStartupSnapshot(agent.baseUrl);
    const set = await httpJson<{ identity: string }>(agent.baseUrl, `/api/v1/namespaces/${name}`);
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const identity = set.body.identity;
    assert.equal((await portsOf(agent, identity))?.usage, 1, "the listener's port");

    // Nobody runs in the netns any more: the next snapshots measure it inside the netns, for real.
    await stop(listener);
    const freed = await snapshot(agent);
    const measured = await portsOf(agent, identity);
    assert.equal(measured?.usage, 0, 'the freed port is measured, not the last count');
    assert.deepEqual([measured?.stale, measured?.measuredAt], [false, freed.takenAt]);
    const unchanged = await snapshot(agent);
    const still = await portsOf(agent, identity);
    assert.equal(still?.at, freed.takenAt, 'an unchanged value is not stored again');
    assert.deepEqual(
      [still?.stale, still?.measuredAt],
      [false, unchanged.takenAt],
      'measured by the latest snapshot',
    );
    assert.equal((await exportedPorts(agent, identity)).length, 1, '/metrics exports the current reading');
    assert.deepEqual(await seriesEnd(agent, identity), [false, unchanged.takenAt, 0]);
    assert.equal((await restoredPorts(agent, identity)).length, 1, 'and postmortem mode restores it');

    // The netns goes between the read of its keys and the read of its usage: that snapshot measures nothing.
    deleter.arm();
    const failed = await snapshot(agent);
    assert.ok(deleter.deleted, 'the netns was deleted during the snapshot');
    const portsError = failed.errors.find((e) => e.target === identity && e.collector === 'ephemeral-ports');
    assert.ok(portsError, `the failed usage read is on the snapshot: ${JSON.stringify(failed.errors)}`);
    const stale = await portsOf(agent, identity);
    assert.ok(stale, 'the set was seen by that snapshot: its last reading is still listed');
    assert.equal(stale.usage, 0);
    assert.equal(stale.stale, true, 'but marked: it was not measured by the snapshot in force');
    assert.equal(stale.measuredAt, unchanged.takenAt, 'with the time it was last measured');
    assert.deepEqual(await exportedPorts(agent, identity), [], '/metrics does not export it as current');
    assert.deepEqual(await restoredPorts(agent, identity), [], 'nor does postmortem mode restore it');
    assert.deepEqual(
      await seriesEnd(agent, identity),
      [true, unchanged.takenAt, 0],
      '/usage: the last point is the last value known, measured then',
    );

    // The next snapshot finds the netns gone: its usage is no longer served at all.
    const after = await snapshot(agent);
    assert.deepEqual(
      after.errors.filter((e) => e.target === identity),
      [],
      'a vanished set is not an error',
    );
    const all = await httpJson<LimitsResult>(agent.baseUrl, '/api/v1/limits');
    const listed = all.body.items.flatMap((i) => [i, ...i.top]).filter((h) => h.namespace === identity);
    assert.deepEqual(listed, [], 'nothing of the deleted netns is served as current');
    assert.deepEqual(await exportedPorts(agent, identity), []);
    assert.deepEqual(await seriesEnd(agent, identity), [true, unchanged.takenAt, 0], 'the set has ended');
  } finally {
    await agent?.close();
    if (listener) await stop(listener);
    await runCommand('ip', ['netns', 'del', name]).catch(() => undefined);
    db.cleanup();
  }
});

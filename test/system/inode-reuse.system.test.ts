import assert from 'node:assert/strict';
import { readlinkSync } from 'node:fs';
import { test } from 'node:test';
import { tempDatabase } from '../helpers/agent-process.js';
import {
  docker,
  DockerScope,
  dockerAvailable,
  ensureTestImage,
  TEST_IMAGE,
  type TestContainer,
  uniqueTestName,
} from '../helpers/docker-engine.js';
import { httpJson, waitForStartupSnapshot } from '../helpers/http-json.js';
import { needsRoot } from '../helpers/privileges.js';
import { type Agent, startAgent } from '../helpers/start-agent.js';

/*
 * Issue 13 item 1, for real: the kernel hands a removed container's namespace inode numbers to the next
 * namespace it creates, usually at once. The agent must see two sets, not one set that "changed".
 */

/** Plain containers started, at most, until one gets the removed one's numbers. */
const REUSE_ATTEMPTS = 12;

interface Inodes {
  readonly net: string;
  readonly ipc: string;
  readonly uts: string;
}

interface NamespaceDetail {
  id: number;
  identity: string;
  endedAt: string | null;
  owners: { ref: string; name: string }[];
  declaredMismatches: unknown[];
}

interface History {
  namespace: string;
  intervals: { value: string | null; from: string; to: string | null }[];
}

interface SnapshotDetail {
  id: number;
  changes: { namespace: string; key: string; kind: string }[];
  nextCursor: string | null;
}

function inodesOf(pid: number): Inodes {
  const link = (type: string): string => readlinkSync(`/proc/${pid}/ns/${type}`);
  return { net: link('net'), ipc: link('ipc'), uts: link('uts') };
}

function identityOf(inodes: Inodes): string {
  const n = (link: string): string => /\[(\d+)\]/.exec(link)?.[1] ?? '?';
  return `net:${n(inodes.net)}/ipc:${n(inodes.ipc)}/uts:${n(inodes.uts)}`;
}

/** `docker run` under a chosen name (the scope removes it), with the pid of its init process. */
async function runNamed(scope: DockerScope, name: string, args: readonly string[]): Promise<TestContainer> {
  scope.track(name);
  const id = (await docker(['run', '-d', '--name', name, ...args, TEST_IMAGE, 'sleep', '3600'])).trim();
  const pid = Number((await docker(['inspect', '--format', '{{.State.Pid}}', id])).trim());
  assert.ok(Number.isInteger(pid) && pid > 0, `container ${name} is running`);
  return { id, name, pid };
}

/** Starts plain containers named `name` until one has all of `wanted`'s inode numbers; the others go. */
async function reuseInodes(scope: DockerScope, name: string, wanted: Inodes): Promise<TestContainer> {
  const seen: string[] = [];
  for (let attempt = 0; attempt < REUSE_ATTEMPTS; attempt++) {
    const candidate = await runNamed(scope, name, []);
    const inodes = inodesOf(candidate.pid);
    if (inodes.net === wanted.net && inodes.ipc === wanted.ipc && inodes.uts === wanted.uts) return candidate;
    seen.push(identityOf(inodes));
    await docker(['rm', '-f', candidate.id]);
  }
  throw new Error(
    `the kernel did not reuse ${identityOf(wanted)} within ${REUSE_ATTEMPTS} containers (got ${seen.join(', ')})`,
  );
}

async function detail(agent: Agent, ns: string): Promise<NamespaceDetail> {
  const response = await httpJson<NamespaceDetail>(
    agent.baseUrl,
    `/api/v1/namespaces/${encodeURIComponent(ns)}`,
  );
  assert.equal(response.status, 200, `GET /namespaces/${ns}: ${JSON.stringify(response.body)}`);
  return response.body;
}

async function history(agent: Agent, key: string, ns: string): Promise<History> {
  const response = await httpJson<History>(
    agent.baseUrl,
    `/api/v1/settings/${key}/history?from=-1h&namespace=${encodeURIComponent(ns)}`,
  );
  assert.equal(response.status, 200, `history of ${key} in ${ns}: ${JSON.stringify(response.body)}`);
  return response.body;
}

async function effective(agent: Agent, ns: string, key: string): Promise<string | null | undefined> {
  const response = await httpJson<{ items: { key: string; value: string | null }[] }>(
    agent.baseUrl,
    `/api/v1/namespaces/${encodeURIComponent(ns)}/settings?prefix=${key}`,
  );
  assert.equal(response.status, 200);
  return response.body.items.find((i) => i.key === key)?.value;
}

/** Every change a snapshot recorded, page after page, network devices' keys included (`interfaces=raw`). */
async function changesOf(agent: Agent, snapshotId: number): Promise<SnapshotDetail['changes']> {
  const changes: SnapshotDetail['changes'] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: SnapshotDetail } = await httpJson<SnapshotDetail>(
      agent.baseUrl,
      `/api/v1/snapshots/${snapshotId}?interfaces=raw&limit=1000${cursor === null ? '' : `&cursor=${cursor}`}`,
    );
    assert.equal(page.status, 200);
    changes.push(...page.body.changes);
    cursor = page.body.nextCursor;
  } while (cursor !== null);
  return changes;
}

async function snapshot(agent: Agent): Promise<number> {
  const response = await httpJson<{ id: number }>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body.id;
}

/**
 * What both cases assert once the new container holds the old one's numbers: two sets, each with its own
 * values and none recorded as a change, the old one ended and free of a declared-vs-effective mismatch.
 */
async function assertTwoLifetimes(
  agent: Agent,
  old: { set: NamespaceDetail; container: TestContainer; identity: string },
  reused: { set: NamespaceDetail; container: TestContainer },
  reuseSnapshot: number,
): Promise<void> {
  assert.notEqual(reused.set.id, old.set.id, 'the reuse is a new namespace set');
  assert.equal(old.set.identity, old.identity);
  assert.equal(reused.set.identity, `${old.identity}~2`, 'the second lifetime of the same numbers');
  assert.notEqual(old.set.endedAt, null, 'the old set ended');
  assert.equal(reused.set.endedAt, null, 'the new set is alive');
  assert.deepEqual(
    old.set.owners.map((o) => o.ref),
    [old.container.id],
    'the old set owns only the old container',
  );
  assert.deepEqual(
    reused.set.owners.map((o) => o.ref),
    [reused.container.id],
    'the new set owns only the new container',
  );
  assert.deepEqual(old.set.declaredMismatches, [], 'the old container’s --sysctl held for its whole life');

  const changed = (await changesOf(agent, reuseSnapshot)).filter(
    (c) =>
      c.kind === 'changed' &&
      [old.set.identity, reused.set.identity].includes(c.namespace.replace(/~\d+$/, '')),
  );
  assert.deepEqual(changed, [], 'nothing in either set is recorded as changed');

  const oldSomaxconn = await history(agent, 'net.core.somaxconn', String(old.set.id));
  assert.deepEqual(
    oldSomaxconn.intervals.map((i) => i.value),
    ['1500'],
    'the old set held 1500 and nothing else',
  );
  assert.notEqual(oldSomaxconn.intervals[0]?.to, null, 'its value ended with it');
  const newSomaxconn = await history(agent, 'net.core.somaxconn', String(reused.set.id));
  assert.equal(newSomaxconn.intervals.length, 1, JSON.stringify(newSomaxconn));
  assert.notEqual(newSomaxconn.intervals[0]?.value, '1500', 'the new set starts with its own value');
  assert.equal(newSomaxconn.intervals[0]?.to, null);

  const oldHostname = await history(agent, 'kernel.hostname', String(old.set.id));
  const newHostname = await history(agent, 'kernel.hostname', String(reused.set.id));
  assert.equal(oldHostname.intervals.length, 1, 'no hostname "change" in the old set');
  assert.equal(newHostname.intervals.length, 1, 'no hostname "change" in the new set');
  assert.equal(oldHostname.intervals[0]?.value, old.container.id.slice(0, 12));
  assert.equal(newHostname.intervals[0]?.value, reused.container.id.slice(0, 12));

  assert.equal(await effective(agent, String(old.set.id), 'net.core.somaxconn'), '1500');
  assert.notEqual(await effective(agent, String(reused.set.id), 'net.core.somaxconn'), '1500');
}

test('a container replaced after a snapshot saw the old one gone: two sets, not one that changed', async (t) => {
  if (!needsRoot(t) || !(await dockerAvailable(t))) return;
  await ensureTestImage();
  const scope = new DockerScope();
  const db = tempDatabase('inode-reuse-seen');
  try {
    const old = await scope.run(['--sysctl', 'net.core.somaxconn=1500'], { label: 'reuse-old' });
    const oldInodes = inodesOf(old.pid);
    const agent = await startAgent({ env: { DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' } });
    try {
      await waitForStartupSnapshot(agent.baseUrl);
      await docker(['rm', '-f', old.id]);
      await snapshot(agent); // sees the old set gone
      const reused = await reuseInodes(scope, uniqueTestName('reuse-new'), oldInodes);
      const reuseSnapshot = await snapshot(agent);
      await assertTwoLifetimes(
        agent,
        { set: await detail(agent, old.name), container: old, identity: identityOf(oldInodes) },
        { set: await detail(agent, reused.name), container: reused },
        reuseSnapshot,
      );
    } finally {
      await agent.close();
    }
  } finally {
    await scope.cleanup();
    db.cleanup();
  }
});

test('a container replaced between two snapshots under the same name: the name names the newest, NAME@TIME the old', async (t) => {
  if (!needsRoot(t) || !(await dockerAvailable(t))) return;
  await ensureTestImage();
  const scope = new DockerScope();
  const db = tempDatabase('inode-reuse-between');
  const name = uniqueTestName('reuse');
  try {
    const old = await runNamed(scope, name, ['--sysctl', 'net.core.somaxconn=1500']);
    const oldInodes = inodesOf(old.pid);
    const agent = await startAgent({ env: { DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600' } });
    try {
      await waitForStartupSnapshot(agent.baseUrl);
      const oldSeenAt = Date.now();
      await docker(['rm', '-f', old.id]);
      const reused = await reuseInodes(scope, name, oldInodes); // no snapshot in between
      const reuseSnapshot = await snapshot(agent);

      const newest = await detail(agent, name);
      assert.deepEqual(
        newest.owners.map((o) => o.ref),
        [reused.id],
        'the name names the newest container’s set',
      );
      const then = await detail(agent, `${name}@${oldSeenAt}`);
      assert.deepEqual(
        then.owners.map((o) => o.ref),
        [old.id],
        'NAME@TIME names the set that bore the name then',
      );
      assert.deepEqual(await detail(agent, String(then.id)), then, 'the old set keeps its id');
      await assertTwoLifetimes(
        agent,
        { set: then, container: old, identity: identityOf(oldInodes) },
        { set: newest, container: reused },
        reuseSnapshot,
      );
    } finally {
      await agent.close();
    }
  } finally {
    await scope.cleanup();
    db.cleanup();
  }
});

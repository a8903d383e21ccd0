import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { type RunningAgent, startAgent, tempDatabase } from '../helpers/agent-process.js';
import { createTrackedFlows } from '../helpers/conntrack-traffic.js';
import {
  DockerScope,
  dockerAvailable,
  ensureTestImage,
  type TestContainer,
} from '../helpers/docker-engine.js';
import { httpJson, waitForStartupSnapshot } from '../helpers/http-json.js';
import { NetnsScope } from '../helpers/netns-scope.js';

interface NamespaceView {
  id: number;
  identity: string;
  kind: string;
  inodes: { net: number; ipc: number; uts: number };
  sharedWithHost: string[];
  sharesNetWith: number[];
  owners: { kind: string; name: string; ref: string; declaredSysctls: Record<string, string> | null }[];
}
interface Effective {
  items: { key: string; value: string | null; source: string; visibleInside: boolean; scope: string }[];
}
interface Snapshot {
  id: number;
  takenAt: string;
  errors: { target?: string; collector?: string; source?: string; message: string }[];
  readMethods: Record<string, number>;
}

describe('namespace sets of real containers and named netns', () => {
  const db = tempDatabase('namespaces');
  const containers = new DockerScope();
  const netns = new NetnsScope();
  let agent: RunningAgent;
  let ready = false;
  let somaxconn: TestContainer;
  let hostNet: TestContainer;
  let podA: TestContainer;
  let podB: TestContainer;
  let netPeer: TestContainer;
  let portNs: string;
  let trackedNs: string;

  before(async (t) => {
    if (!(await dockerAvailable(t))) return;
    await ensureTestImage();
    somaxconn = await containers.run(['--sysctl', 'net.core.somaxconn=1024'], { label: 'somaxconn' });
    hostNet = await containers.run(['--network', 'host'], { label: 'hostnet' });
    // A pod: net and IPC shared with the first container, UTS the host's (Docker keeps a private UTS
    // namespace per container otherwise, which would make a separate namespace set).
    podA = await containers.run(['--ipc', 'shareable', '--uts', 'host'], { label: 'pod-a' });
    podB = await containers.run(
      ['--network', `container:${podA.name}`, '--ipc', `container:${podA.name}`, '--uts', 'host'],
      { label: 'pod-b' },
    );
    netPeer = await containers.run(['--network', `container:${podA.name}`], { label: 'net-peer' });
    portNs = await netns.add('ports');
    trackedNs = await netns.add('tracked');
    netns.spawnIn(trackedNs, ['sleep', '300']);
    agent = await startAgent({ DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600', LOG_LEVEL: 'warn' });
    await waitForStartupSnapshot(agent.baseUrl);
    ready = true;
  });

  after(async () => {
    await agent?.stop();
    await containers.cleanup();
    await netns.cleanup();
    db.cleanup();
  });

  const namespaces = async (): Promise<NamespaceView[]> =>
    (await httpJson<{ items: NamespaceView[] }>(agent.baseUrl, '/api/v1/namespaces')).body.items;
  const setOf = (all: NamespaceView[], name: string): NamespaceView | undefined =>
    all.find((n) => n.owners.some((o) => o.name === name));

  test('a container declared with --sysctl net.core.somaxconn=1024 shows 1024 there and the host value on the host', async (t) => {
    if (!ready) return t.skip('no Docker engine');
    const own = await httpJson<Effective>(
      agent.baseUrl,
      `/api/v1/namespaces/${somaxconn.name}/settings?prefix=net.core.somaxconn`,
    );
    assert.equal(own.status, 200);
    assert.deepEqual(
      own.body.items.map((i) => [i.key, i.value, i.source]),
      [['net.core.somaxconn', '1024', 'namespace']],
    );
    const hostValue = readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim();
    const host = await httpJson<{
      value: string;
      namespaces: { namespace: string; value: string; owners: string[] }[];
    }>(agent.baseUrl, '/api/v1/settings/net.core.somaxconn');
    assert.equal(host.body.value, hostValue);
    const inContainer = host.body.namespaces.find((n) => n.owners.includes(somaxconn.name));
    assert.equal(inContainer?.value, '1024');
    const detail = await httpJson<{ declaredMismatches: unknown[]; owners: NamespaceView['owners'] }>(
      agent.baseUrl,
      `/api/v1/namespaces/${somaxconn.id.slice(0, 12)}`,
    );
    assert.equal(detail.status, 200, 'a container id prefix resolves');
    assert.deepEqual(detail.body.owners[0]?.declaredSysctls, { 'net.core.somaxconn': '1024' });
    assert.deepEqual(detail.body.declaredMismatches, []);
  });

  test('a --network host container is attached to the host netns', async (t) => {
    if (!ready) return t.skip('no Docker engine');
    const all = await namespaces();
    const host = all.find((n) => n.identity === 'host');
    const set = setOf(all, hostNet.name);
    assert.ok(host && set, 'both sets listed');
    assert.equal(set.inodes.net, host.inodes.net);
    assert.ok(set.sharedWithHost.includes('net'));
    const settings = await httpJson<Effective>(
      agent.baseUrl,
      `/api/v1/namespaces/${hostNet.name}/settings?prefix=net.core.somaxconn`,
    );
    assert.equal(settings.body.items[0]?.source, 'host');
  });

  test('two containers sharing one netns form one set with two owners', async (t) => {
    if (!ready) return t.skip('no Docker engine');
    const all = await namespaces();
    const set = setOf(all, podA.name);
    assert.ok(set);
    assert.deepEqual(
      set.owners
        .filter((o) => o.kind === 'container')
        .map((o) => o.name)
        .sort(),
      [podA.name, podB.name].sort(),
    );
    assert.equal(all.filter((n) => n.owners.some((o) => o.name === podB.name)).length, 1);
    const peer = setOf(all, netPeer.name);
    assert.ok(peer && peer.id !== set.id, '--network container:X alone keeps private IPC/UTS: its own set');
    assert.equal(peer.inodes.net, set.inodes.net);
    assert.deepEqual(peer.sharesNetWith, [set.id]);
    assert.deepEqual(set.sharesNetWith, [peer.id]);
  });

  test('a change in a named netns shows in /diff?namespace=', async (t) => {
    if (!ready) return t.skip('no Docker engine');
    const before = await httpJson<Snapshot>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
    await netns.exec(portNs, ['sysctl', '-w', 'net.ipv4.ip_local_port_range=20000 29999']);
    const after = await httpJson<Snapshot>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
    const diff = await httpJson<{
      namespace: string;
      entries: { key: string; before: string; after: string }[];
    }>(
      agent.baseUrl,
      `/api/v1/diff?namespace=${portNs}&from=${encodeURIComponent(before.body.takenAt)}&to=${encodeURIComponent(after.body.takenAt)}`,
    );
    assert.equal(diff.status, 200);
    assert.deepEqual(
      diff.body.entries.map((e) => [e.key, e.before.split(/\s+/).join(' '), e.after.split(/\s+/).join(' ')]),
      [['net.ipv4.ip_local_port_range', '32768 60999', '20000 29999']],
    );
    const hostDiff = await httpJson<{ entries: unknown[] }>(
      agent.baseUrl,
      `/api/v1/diff?from=${encodeURIComponent(before.body.takenAt)}&to=${encodeURIComponent(after.body.takenAt)}`,
    );
    assert.deepEqual(hostDiff.body.entries, [], 'the host did not change');
    assert.ok((after.body.readMethods.nsenter ?? 0) >= 4, JSON.stringify(after.body.readMethods));
    assert.equal(after.body.readMethods['in-process'], 1);
  });

  test('nf_conntrack_max is global and mirrored from the probe of this kernel, and /shared lists it', async (t) => {
    if (!ready) return t.skip('no Docker engine');
    const key = await httpJson<{
      scope: string;
      childVisibility: string;
      classificationSource: string;
      evidence: { method: string; kernelRelease: string };
    }>(agent.baseUrl, '/api/v1/settings/net.netfilter.nf_conntrack_max');
    assert.equal(key.body.scope, 'global');
    assert.equal(key.body.childVisibility, 'mirrored');
    assert.equal(key.body.classificationSource, 'probe');
    assert.equal(key.body.evidence.method, 'unshare-probe');
    assert.equal(key.body.evidence.kernelRelease, readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim());
    const shared = await httpJson<{
      items: { key: string; namespacesSeeing: number; usageMetric: string | null }[];
    }>(agent.baseUrl, '/api/v1/shared');
    const max = shared.body.items.find((i) => i.key === 'net.netfilter.nf_conntrack_max');
    assert.ok(max && max.namespacesSeeing >= 5, JSON.stringify(max));
    assert.equal(max.usageMetric, 'conntrack.entries');
    assert.equal(
      shared.body.items.some((i) => i.key === 'net.core.netdev_max_backlog'),
      false,
      'absent keys are not seen inside',
    );
  });

  test('each netns gets its own conntrack count sampled against the global max', async (t) => {
    if (!ready) return t.skip('no Docker engine');
    await createTrackedFlows(trackedNs, 20); // UDP entries expire after 30 s: sample right away
    await httpJson(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
    const file = new Database(db.dbPath, { readonly: true });
    try {
      const rows = file
        .prepare(
          `SELECT s.usage, s.limit_value AS "limit" FROM usage_samples s
             JOIN owners o ON o.namespace_id = s.namespace_id
            WHERE o.kind = 'netns' AND o.name = ? AND s.metric = 'conntrack.entries' ORDER BY s.id DESC LIMIT 1`,
        )
        .get(trackedNs) as { usage: number; limit: number } | undefined;
      assert.ok(rows, 'a conntrack sample exists for the tracked netns');
      assert.ok(rows.usage >= 20, `tracked netns holds ${rows.usage} entries`);
      assert.equal(rows.limit, Number(readFileSync('/proc/sys/net/netfilter/nf_conntrack_max', 'utf8')));
    } finally {
      file.close();
    }
  });
});

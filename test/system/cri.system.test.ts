import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startAgent, tempDatabase } from '../helpers/agent-process.js';
import { createTrackedFlows, waitOutNetRatelimitWindow } from '../helpers/conntrack-traffic.js';
import { CRI_SOCKET, CriPods, needsCri, netnsNameOf } from '../helpers/cri-runtime.js';
import { httpJson, waitFor } from '../helpers/http-json.js';

const CONNTRACK_MAX = '/proc/sys/net/netfilter/nf_conntrack_max';
const NS = 'kl-cri-test';
const WEB_UID = '6b1f6d1e-0000-4000-8000-00000000c0de';
const IDLE_UID = '6b1f6d1e-0000-4000-8000-00000000beef';

interface Owner {
  kind: string;
  name: string;
  namespace: string | null;
  uid: string | null;
  ref: string;
  containers: { name: string; image: string; id: string }[] | null;
  labels: Record<string, string> | null;
  declaredSysctls: Record<string, string> | null;
}
interface NamespaceItem {
  id: number;
  kind: string;
  owners: Owner[];
}

/**
 * The CRI as the kubelet drives it (RunPodSandbox with metadata and linux.sysctls, CreateContainer,
 * StartContainer) on a real containerd: the agent names each pod, its containers and declared sysctls, reads
 * the effective values inside, and names the pod in the kernel event, /limits and the incident report when
 * its conntrack table fills.
 */
test('pods made through the real CRI are named, with declared and effective sysctls, and own their incidents', async (t) => {
  if (!needsCri(t)) return;
  const db = tempDatabase('cri');
  const logRoot = mkdtempSync(path.join(tmpdir(), 'kl-cri-logs-'));
  const pods = new CriPods();
  const saved = readFileSync(CONNTRACK_MAX, 'utf8').trim();
  const agent = await startAgent({ DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600', CRI_SOCKET });
  try {
    const web = await pods.run({
      namespace: NS,
      name: 'web',
      uid: WEB_UID,
      sysctls: { 'net.core.somaxconn': '1234' },
      labels: { app: 'web' },
      containers: ['app'],
      logDirectory: path.join(logRoot, `${NS}_web_${WEB_UID}`),
    });
    await pods.run({
      namespace: NS,
      name: 'idle',
      uid: IDLE_UID,
      logDirectory: path.join(logRoot, `${NS}_idle_${IDLE_UID}`),
    });
    const webPid = await pods.sandboxPid(web.sandboxId);
    const snap = async (): Promise<void> => {
      assert.equal((await httpJson(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' })).status, 201);
    };
    await snap();

    const listed = await httpJson<{ items: NamespaceItem[] }>(agent.baseUrl, '/api/v1/namespaces');
    const podOwners = listed.body.items.flatMap((s) => s.owners.filter((o) => o.kind === 'pod'));
    const webOwner = podOwners.find((o) => o.namespace === NS && o.name === 'web');
    assert.ok(webOwner, JSON.stringify(podOwners));
    assert.equal(webOwner.uid, WEB_UID);
    assert.equal(webOwner.labels?.['app'], 'web');
    assert.deepEqual(webOwner.declaredSysctls, { 'net.core.somaxconn': '1234' });
    assert.deepEqual(
      webOwner.containers?.map((c) => [c.name, c.image, c.id]),
      [['app', 'docker.io/kernel-ledger-test/busybox:latest', web.containerIds[0]]],
    );
    const idleOwner = podOwners.find((o) => o.name === 'idle');
    assert.deepEqual([idleOwner?.namespace, idleOwner?.uid, idleOwner?.containers], [NS, IDLE_UID, []]);
    const webSet = listed.body.items.find((s) => s.owners.includes(webOwner));
    assert.equal(webSet?.kind, 'pod');

    // Lookups by pod and by a container's name inside it land on the same set; declared == effective.
    for (const name of [`pod:${NS}/web`, `${NS}/web`, 'app']) {
      const detail = await httpJson<{ id: number; declaredMismatches: unknown[] }>(
        agent.baseUrl,
        `/api/v1/namespaces/${encodeURIComponent(name)}`,
      );
      assert.equal(detail.status, 200, name);
      assert.equal(detail.body.id, webSet.id, name);
      assert.deepEqual(detail.body.declaredMismatches, [], name);
    }
    const effective = await httpJson<{ items: { key: string; value: string | null }[] }>(
      agent.baseUrl,
      `/api/v1/namespaces/${encodeURIComponent(`pod:${NS}/web`)}/settings?prefix=net.core.somaxconn`,
    );
    const kernelValue = execFileSync(
      'nsenter',
      [`--net=/proc/${webPid}/ns/net`, 'cat', '/proc/sys/net/core/somaxconn'],
      {
        encoding: 'utf8',
      },
    ).trim();
    assert.equal(kernelValue, '1234', 'the runtime applied the declared sysctl');
    assert.deepEqual(
      effective.body.items.filter((i) => i.key === 'net.core.somaxconn').map((i) => i.value),
      ['1234'],
    );
    assert.equal(
      (await httpJson(agent.baseUrl, `/api/v1/namespaces/${encodeURIComponent(`pod:${NS}/nope`)}`)).status,
      404,
    );

    // The kubelet's view of keys: the declared somaxconn needs allowedUnsafeSysctls on a real node.
    const kubeletViews: Record<string, string> = {};
    for (const key of [
      'net.core.somaxconn',
      'net.ipv4.ip_local_port_range',
      'net.netfilter.nf_conntrack_max',
      'vm.swappiness',
    ]) {
      kubeletViews[key] = (
        await httpJson<{ kubelet: string }>(agent.baseUrl, `/api/v1/settings/${key}`)
      ).body.kubelet;
    }
    assert.deepEqual(kubeletViews, {
      'net.core.somaxconn': 'unsafe',
      'net.ipv4.ip_local_port_range': 'safe',
      'net.netfilter.nf_conntrack_max': 'node-level',
      'vm.swappiness': 'node-level',
    });

    // Fill the web pod's conntrack table: the kernel event, /limits and the report name the pod.
    const netnsName = netnsNameOf(webPid);
    const hostEntries = Number(readFileSync('/proc/sys/net/netfilter/nf_conntrack_count', 'utf8'));
    const lowMax = Math.ceil((hostEntries + 1000) / 100) * 100;
    assert.ok(Number(saved) > lowMax, `nf_conntrack_max is ${saved}: another test holds it low`);
    const startedAt = new Date().toISOString();
    try {
      writeFileSync(CONNTRACK_MAX, String(lowMax));
      await snap();
      await waitOutNetRatelimitWindow();
      await createTrackedFlows(netnsName, lowMax * 2).catch((error: Error) => {
        if (!/EPERM/.test(error.message)) throw error;
      });
      await snap();
      const event = await waitFor(
        async () => {
          const events = await httpJson<{ items: { owners: string[]; key: string }[] }>(
            agent.baseUrl,
            `/api/v1/kernel-events?namespace=${encodeURIComponent(`pod:${NS}/web`)}&signature=conntrack-table-full`,
          );
          return events.body.items[0];
        },
        20_000,
        'the kernel event of the pod',
      );
      assert.ok(event.owners.includes(`${NS}/web`), JSON.stringify(event.owners));
      const limits = await httpJson<{
        items: { metric: string; top: { owners: { kind: string; name: string }[]; usage: number }[] }[];
      }>(agent.baseUrl, '/api/v1/limits');
      const conntrack = limits.body.items.find((i) => i.metric === 'conntrack.entries');
      const holder = conntrack?.top.find((h) => h.owners.some((o) => o.kind === 'pod'));
      assert.ok(holder, JSON.stringify(conntrack));
      assert.deepEqual(
        holder.owners.filter((o) => o.kind === 'pod'),
        [{ kind: 'pod', name: `${NS}/web` }],
      );
      assert.equal(holder.usage, lowMax);
      const metrics = await fetch(`${agent.baseUrl}/metrics`).then((r) => r.text());
      assert.match(
        metrics,
        new RegExp(
          `kernel_ledger_usage\\{metric="conntrack\\.entries",namespace="[^"]+",owner="${NS}/web",pod="web",k8s_namespace="${NS}",container="app"\\} ${lowMax}`,
        ),
      );
    } finally {
      writeFileSync(CONNTRACK_MAX, saved);
    }
    const created = await httpJson<{ id: number; owners: string[] }>(agent.baseUrl, '/api/v1/incidents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'web drops', startedAt, endedAt: 'now', namespace: `pod:${NS}/web` }),
    });
    assert.equal(created.status, 201);
    assert.ok(created.body.owners.includes(`${NS}/web`), JSON.stringify(created.body));
    const report = await httpJson<{ suspects: { key: string }[] }>(
      agent.baseUrl,
      `/api/v1/incidents/${created.body.id}/report?lookback=1h`,
    );
    assert.equal(report.status, 200);
    assert.equal(report.body.suspects[0]?.key, 'net.netfilter.nf_conntrack_max');
    assert.ok(JSON.stringify(report.body).includes(`${NS}/web`), 'the report names the pod');
  } finally {
    if (readFileSync(CONNTRACK_MAX, 'utf8').trim() !== saved) writeFileSync(CONNTRACK_MAX, saved);
    await agent.stop();
    await pods.cleanup();
    rmSync(logRoot, { recursive: true, force: true });
    db.cleanup();
  }
});

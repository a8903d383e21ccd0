import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { validateEnvironment } from '../../../src/config/env.schema.js';
import { repoPath } from '../../helpers/repo-path.js';

interface ComposeAgent {
  pid: string;
  network_mode: string;
  ipc: string;
  cap_drop: string[];
  cap_add: string[];
  security_opt: string[];
  read_only: boolean;
  privileged?: boolean;
  devices: string[];
  volumes: string[];
}
interface Mount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  mountPropagation?: string;
}
interface AgentContainer {
  env: { name: string; value?: string; valueFrom?: unknown }[];
  securityContext: {
    privileged?: boolean;
    allowPrivilegeEscalation: boolean;
    readOnlyRootFilesystem: boolean;
    runAsUser: number;
    capabilities: { drop: string[]; add: string[] };
    appArmorProfile: { type: string };
  };
  resources: { requests: { memory: string }; limits: { memory: string } };
  livenessProbe: { httpGet: { path: string } };
  readinessProbe: { httpGet: { path: string } };
  startupProbe: { httpGet: { path: string } };
  volumeMounts: Mount[];
}
interface DaemonSetPod {
  metadata: { annotations: Record<string, string> };
  spec: {
    hostPID: boolean;
    hostNetwork: boolean;
    hostIPC: boolean;
    serviceAccountName: string;
    containers: AgentContainer[];
    volumes: { name: string; hostPath?: { path: string }; emptyDir?: unknown }[];
  };
}

const compose = (
  parse(readFileSync(repoPath('docker-compose.yml'), 'utf8')) as { services: { agent: ComposeAgent } }
).services.agent;
const documents = parseAllDocuments(
  readFileSync(repoPath('deploy', 'kubernetes', 'daemonset.yaml'), 'utf8'),
).map(
  (d) =>
    d.toJS() as {
      kind: string;
      metadata: { name: string; namespace?: string };
      spec?: { template: DaemonSetPod };
    },
);
const daemonSet = documents.find((d) => d.kind === 'DaemonSet');
const pod = daemonSet?.spec?.template;
const agent = pod?.spec.containers[0];

test('its own namespace and ServiceAccount, and a DaemonSet using them', () => {
  assert.deepEqual(
    documents.map((d) => [d.kind, d.metadata.name, d.metadata.namespace ?? null]),
    [
      ['Namespace', 'kernel-ledger', null],
      ['ServiceAccount', 'kernel-ledger', 'kernel-ledger'],
      ['DaemonSet', 'kernel-ledger', 'kernel-ledger'],
    ],
  );
  assert.equal(pod?.spec.serviceAccountName, 'kernel-ledger');
});

test('the same host namespaces as the compose file', () => {
  assert.deepEqual([compose.pid, compose.network_mode, compose.ipc], ['host', 'host', 'host']);
  assert.deepEqual([pod?.spec.hostPID, pod?.spec.hostNetwork, pod?.spec.hostIPC], [true, true, true]);
});

test('the same capabilities and confinement as the compose file, nothing more', () => {
  const security = agent?.securityContext;
  assert.ok(security);
  assert.deepEqual(security.capabilities.drop, compose.cap_drop);
  assert.deepEqual([...security.capabilities.add].sort(), [...compose.cap_add].sort());
  assert.equal(security.privileged ?? false, compose.privileged ?? false);
  assert.equal(security.allowPrivilegeEscalation, !compose.security_opt.includes('no-new-privileges:true'));
  assert.equal(security.readOnlyRootFilesystem, compose.read_only);
  assert.equal(
    security.appArmorProfile.type === 'Unconfined',
    compose.security_opt.includes('apparmor:unconfined'),
  );
  assert.equal(security.runAsUser, 0);
});

test('read-only mounts of the CRI socket, /run/netns, /var/log/pods and /dev/kmsg; the database on a hostPath', () => {
  const mounts = new Map(agent?.volumeMounts.map((m) => [m.mountPath, m]));
  for (const path of ['/run/containerd/containerd.sock', '/run/netns', '/var/log/pods', '/dev/kmsg']) {
    assert.equal(mounts.get(path)?.readOnly, true, path);
  }
  assert.ok(compose.devices.includes('/dev/kmsg:/dev/kmsg:r'), 'compose reads /dev/kmsg read-only too');
  assert.ok(compose.volumes.some((v) => v.startsWith('/run/netns:/run/netns:ro')));
  assert.equal(mounts.get('/run/netns')?.mountPropagation, 'HostToContainer', 'compose: rslave');
  const volumes = new Map(pod?.spec.volumes.map((v) => [v.name, v]));
  const data = mounts.get('/var/lib/kernel-ledger');
  assert.equal(data?.readOnly ?? false, false);
  assert.equal(volumes.get(data?.name ?? '')?.hostPath?.path, '/var/lib/kernel-ledger');
  assert.ok(volumes.get(mounts.get('/tmp')?.name ?? '')?.emptyDir, 'a writable /tmp, as compose tmpfs');
  const env = new Map(agent?.env.map((e) => [e.name, e.value]));
  assert.equal(env.get('CRI_SOCKET'), '/run/containerd/containerd.sock');
  assert.equal(env.get('DB_PATH')?.startsWith('/var/lib/kernel-ledger/'), true);
});

test('probes on /api/v1/health, memory backed by the measured RSS, Prometheus annotations, a valid environment', () => {
  for (const probe of [agent?.livenessProbe, agent?.readinessProbe, agent?.startupProbe]) {
    assert.equal(probe?.httpGet.path, '/api/v1/health');
  }
  const mib = (text: string | undefined): number => Number(/^(\d+)Mi$/.exec(text ?? '')?.[1] ?? NaN);
  assert.ok(mib(agent?.resources.requests.memory) >= 150, 'request ≥ the 150 MiB RSS target');
  assert.ok(mib(agent?.resources.limits.memory) > mib(agent?.resources.requests.memory));
  // Backed by the measured figure: bench figure 7, the agent's RSS on a node with 110 pods (bench/results.json).
  const figures = JSON.parse(readFileSync(repoPath('bench', 'results.json'), 'utf8')) as {
    name: string;
    ours: number;
  }[];
  const measured = figures.find((f) =>
    /^pods: agent RSS after \d+ snapshots of host \+ 110 pods/.test(f.name),
  );
  assert.ok(measured, 'bench/results.json holds the RSS of the 110-pod benchmark');
  const rssMib = measured.ours / 1048576;
  assert.ok(
    mib(agent?.resources.requests.memory) >= rssMib,
    `request ≥ the measured ${rssMib.toFixed(1)} MiB`,
  );
  assert.ok(
    mib(agent?.resources.limits.memory) >= 1.5 * rssMib,
    'limit ≥ 1.5 × the measured RSS (peaks, larger nodes)',
  );
  assert.deepEqual(
    [pod?.metadata.annotations['prometheus.io/scrape'], pod?.metadata.annotations['prometheus.io/path']],
    ['true', '/metrics'],
  );
  const values = Object.fromEntries(
    (agent?.env ?? []).map((e) => [e.name, e.value ?? (e.name === 'HOST' ? '10.0.0.7' : 'x'.repeat(32))]),
  );
  assert.doesNotThrow(() => validateEnvironment(values), 'the agent accepts the environment');
});

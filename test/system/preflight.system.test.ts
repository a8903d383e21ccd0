import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type RunningAgent, startAgent, tempDatabase } from '../helpers/agent-process.js';
import {
  DockerScope,
  docker,
  dockerAvailable,
  ensureTestImage,
  TEST_IMAGE,
  uniqueTestName,
} from '../helpers/docker-engine.js';
import { httpJson, waitForStartupSnapshot } from '../helpers/http-json.js';

/**
 * THE preflight check: for every case the real engine is asked (`docker run --rm --sysctl k=v … true`, or the
 * Engine API through docker-compose) and the real agent (POST /api/v1/preflight, after its start-up probe and
 * snapshot of this kernel); the verdicts must be equal, and a rejection's reason must be what the engine printed.
 * Run under `flock /tmp/kl-system.lock` (it starts containers and tunes one host sysctl, restored in finally).
 */

type Outcome = 'accepted' | 'refused-by-engine' | 'refused-by-runtime' | 'failed-at-init';

interface Case {
  readonly key: string;
  readonly value: string;
  readonly network?: 'host';
  readonly ipc?: 'host';
  /** What this case is here to cover (documentation; the engine decides the expected outcome). */
  readonly covers: string;
}

const CASES: readonly Case[] = [
  { key: 'net.core.somaxconn', value: '1024', covers: 'accepted: namespaced net key' },
  { key: 'net.ipv4.ip_local_port_range', value: '1024 65000', covers: 'accepted: list of integers' },
  { key: 'net.ipv4.tcp_syncookies', value: '1', covers: 'accepted: kubelet-safe key' },
  { key: 'net.ipv4.tcp_keepalive_time', value: '600', covers: 'accepted' },
  { key: 'net.ipv4.tcp_rmem', value: '4096 87380 8388608', covers: 'accepted: copied-from-init_net key' },
  { key: 'net.ipv4.conf.eth0.rp_filter', value: '1', covers: 'accepted: per-interface key of eth0' },
  { key: 'net.core.somaxconn', value: '0x10', covers: 'accepted: hex is parsed by the kernel' },
  { key: 'kernel.shmmax', value: '1234567', covers: 'accepted: ipc key' },
  { key: 'kernel.msgmax', value: '65536', covers: 'accepted: ipc key' },
  { key: 'kernel.sem', value: '250 32000 32 128', covers: 'accepted: ipc 4-tuple' },
  { key: 'fs.mqueue.queues_max', value: '512', covers: 'accepted: mqueue' },
  { key: 'vm.max_map_count', value: '262144', covers: 'refused by the engine (CLI allowlist)' },
  { key: 'fs.file-max', value: '100000', covers: 'refused by the engine' },
  { key: 'kernel.pid_max', value: '100000', covers: 'refused by the engine (pid-scoped)' },
  { key: 'kernel.domainname', value: 'rk.example', covers: 'refused by the CLI, accepted by the Engine API' },
  { key: 'net.core.rmem_max', value: '8388608', covers: 'failed at init: mirrored read-only' },
  { key: 'net.netfilter.nf_conntrack_max', value: '262144', covers: 'failed at init: mirrored read-only' },
  { key: 'net.ipv4.tcp_allowed_congestion_control', value: 'reno', covers: 'failed at init: mirrored' },
  { key: 'net.core.netdev_max_backlog', value: '2000', covers: 'failed at init: absent in a child netns' },
  { key: 'net.ipv4.tcp_mem', value: '1 2 3', covers: 'failed at init: absent' },
  { key: 'net.ipv4.neigh.default.gc_thresh3', value: '2048', covers: 'failed at init: absent' },
  { key: 'net.ipv4.conf.eth1.rp_filter', value: '1', covers: 'failed at init: no such interface' },
  {
    key: 'net.core.somaxconn',
    value: '1024',
    network: 'host',
    covers: 'namespaced key with host networking',
  },
  {
    key: 'net.ipv4.tcp_syncookies',
    value: '1',
    network: 'host',
    covers: 'namespaced key with host networking',
  },
  { key: 'kernel.shmmax', value: '1234567', ipc: 'host', covers: 'ipc key with host ipc' },
  { key: 'net.core.somaxconn', value: 'abc', covers: 'malformed value' },
  { key: 'net.ipv4.ip_local_port_range', value: '40000,50000', covers: 'malformed list' },
  { key: 'kernel.shmmax', value: '1.5', covers: 'malformed value of an ipc key' },
];

/** The Engine API path (docker-compose → HostConfig.Sysctls, no CLI allowlist). */
const ENGINE_API_CASES: readonly Case[] = [
  { key: 'kernel.domainname', value: 'rk.example', covers: 'accepted through the Engine API' },
  { key: 'vm.max_map_count', value: '262144', covers: 'runc: not in a separate kernel namespace' },
  { key: 'kernel.hostname', value: 'x', covers: 'runc: conflicts with the OCI hostname field' },
];

interface EngineResult {
  readonly outcome: Outcome;
  readonly output: string;
}

function run(
  file: string,
  args: readonly string[],
  timeoutMs = 120_000,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(file, [...args], { timeout: timeoutMs, maxBuffer: 4 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** Sorts what the engine printed into the four outcomes (messages in docker/cli, moby and runc's words). */
function outcomeOf(code: number, output: string): Outcome {
  if (code === 0) return 'accepted';
  if (/for "--sysctl" flag: sysctl '.*' is not allowed/.test(output)) return 'refused-by-engine';
  if (/error during container init: (open|write) \/proc\/sys\//.test(output)) return 'failed-at-init';
  if (/runc create failed: sysctl "/.test(output)) return 'refused-by-runtime';
  throw new Error(`unrecognised engine answer (exit ${code}): ${output}`);
}

interface PreflightItem {
  key: string;
  value: string;
  verdict: 'ok' | 'rejected';
  reason: string | null;
  stage: 'cli' | 'kubelet' | 'runtime-validation' | 'container-init' | null;
  kubelet: string;
  notes: string[];
}
interface PreflightAnswer {
  items: PreflightItem[];
  notInherited: { key: string; host: string; container: string }[];
  rejected: boolean;
}
interface NotInheritedReport {
  keys: { key: string; scope: string; host: string; container: string }[];
  sets: { namespace: string; owners: string[]; keys: { key: string; value: string }[] }[];
}

const STAGE_OF: Readonly<Record<Outcome, PreflightItem['stage']>> = {
  accepted: null,
  'refused-by-engine': 'cli',
  'refused-by-runtime': 'runtime-validation',
  'failed-at-init': 'container-init',
};

describe('preflight verdicts equal what the real engine does on this machine', () => {
  const db = tempDatabase('preflight');
  const containers = new DockerScope();
  let agent: RunningAgent | undefined;
  let ready = false;

  before(async (t) => {
    if (!(await dockerAvailable(t))) return;
    await ensureTestImage();
    agent = await startAgent({ DB_PATH: db.dbPath, SNAPSHOT_INTERVAL: '3600', LOG_LEVEL: 'warn' });
    await waitForStartupSnapshot(agent.baseUrl);
    ready = true;
  });

  after(async () => {
    await agent?.stop();
    await containers.cleanup();
    db.cleanup();
  });

  const ask = async (body: Record<string, unknown>): Promise<PreflightAnswer> => {
    const answer = await httpJson<PreflightAnswer>(agent?.baseUrl ?? '', '/api/v1/preflight', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  };

  test(`docker run --sysctl: ${CASES.length} keys, every outcome`, async (t) => {
    if (!ready) return t.skip('no Docker engine');
    const seen = new Set<Outcome>();
    const mismatches: string[] = [];
    for (const c of CASES) {
      const name = uniqueTestName('preflight');
      containers.track(name);
      const args = [
        'run',
        '--rm',
        '--name',
        name,
        '--label',
        'kernel-ledger-test=1',
        '--sysctl',
        `${c.key}=${c.value}`,
      ];
      if (c.network) args.push('--network', c.network);
      if (c.ipc) args.push('--ipc', c.ipc);
      const engine = await run('docker', [...args, TEST_IMAGE, 'true']);
      const real: EngineResult = { outcome: outcomeOf(engine.code, engine.output), output: engine.output };
      seen.add(real.outcome);
      const [item] = (
        await ask({
          sysctls: { [c.key]: c.value },
          network: c.network ?? 'private',
          ipc: c.ipc ?? 'private',
          runtime: 'docker',
        })
      ).items;
      assert.ok(item);
      const expected = real.outcome === 'accepted' ? 'ok' : 'rejected';
      const label = `${c.key}=${c.value}${c.network ? ' --network host' : ''}${c.ipc ? ' --ipc host' : ''} (${c.covers})`;
      process.stdout.write(
        `# ${label}: engine ${real.outcome}; preflight ${item.verdict} ${item.reason ?? ''}\n`,
      );
      if (item.verdict !== expected || item.stage !== STAGE_OF[real.outcome]) {
        mismatches.push(
          `${label}: engine ${real.outcome} (${real.output.trim()}), preflight ${JSON.stringify(item)}`,
        );
      } else if (item.reason !== null && !real.output.includes(item.reason)) {
        mismatches.push(`${label}: the engine said ${real.output.trim()}, preflight says ${item.reason}`);
      }
    }
    assert.deepEqual(mismatches, []);
    // Every outcome of the issue: accepted, refused by the engine, refused by runc (host networking), and the
    // three init failures (mirrored EACCES, absent ENOENT, malformed EINVAL) are all in CASES.
    assert.deepEqual([...seen].sort(), [
      'accepted',
      'failed-at-init',
      'refused-by-engine',
      'refused-by-runtime',
    ]);
  });

  test('the Engine API (docker-compose) path: no CLI allowlist, runc decides', async (t) => {
    if (!ready) return t.skip('no Docker engine');
    const dir = mkdtempSync(path.join(tmpdir(), 'kl-preflight-compose-'));
    const project = uniqueTestName('pf').replace(/[^a-z0-9]/g, '');
    const file = path.join(dir, 'docker-compose.yml');
    try {
      for (const c of ENGINE_API_CASES) {
        const manifest = `version: "2.4"\nservices:\n  t:\n    image: ${TEST_IMAGE}\n    command: ["true"]\n    labels: ["kernel-ledger-test=1"]\n    sysctls:\n      - "${c.key}=${c.value}"\n`;
        writeFileSync(file, manifest);
        const engine = await run('docker-compose', ['-p', project, '-f', file, 'run', '--rm', 't']);
        const outcome = outcomeOf(engine.code, engine.output);
        const answer = await ask({ manifest: readFileSync(file, 'utf8') });
        const [item] = answer.items;
        assert.ok(item);
        process.stdout.write(
          `# compose ${c.key}=${c.value}: engine ${outcome}; preflight ${item.verdict} ${item.reason ?? ''}\n`,
        );
        assert.equal(item.verdict, outcome === 'accepted' ? 'ok' : 'rejected', `${c.key}: ${engine.output}`);
        assert.equal(item.stage, STAGE_OF[outcome]);
        if (item.reason !== null)
          assert.ok(engine.output.includes(item.reason), `${engine.output} vs ${item.reason}`);
      }
    } finally {
      await run('docker-compose', ['-p', project, '-f', file, 'down', '--remove-orphans']);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('notInherited: a container started without the host-tuned key gets the kernel default', async (t) => {
    if (!ready || !agent) return t.skip('no Docker engine');
    const file = '/proc/sys/net/core/somaxconn';
    const original = readFileSync(file, 'utf8').trim();
    const tuned = String(Number(original) * 2);
    const scope = new DockerScope();
    try {
      writeFileSync(file, tuned);
      const plain = await scope.run([], { label: 'pf-plain' });
      const set = await scope.run(['--sysctl', `net.core.somaxconn=${tuned}`], { label: 'pf-set' });
      const inside = async (name: string): Promise<string> =>
        (await docker(['exec', name, 'cat', file])).trim();
      const plainValue = await inside(plain.name);
      assert.notEqual(plainValue, tuned, 'a new container does not inherit the host value');
      assert.equal(await inside(set.name), tuned);
      const snapshot = await httpJson(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
      assert.ok(snapshot.status === 200 || snapshot.status === 201, JSON.stringify(snapshot.body));

      const report = (await httpJson<NotInheritedReport>(agent.baseUrl, '/api/v1/not-inherited')).body;
      const entry = report.keys.find((k) => k.key === 'net.core.somaxconn');
      assert.deepEqual(entry, {
        key: 'net.core.somaxconn',
        scope: 'net',
        host: tuned,
        container: plainValue,
      });
      const owners = report.sets
        .filter((s) => s.keys.some((k) => k.key === 'net.core.somaxconn'))
        .flatMap((s) => s.owners);
      assert.ok(owners.includes(plain.name), JSON.stringify(report.sets));
      assert.ok(!owners.includes(set.name), 'the container that sets the key is not listed');

      const one = await httpJson<{ keys: { key: string; value: string }[] }>(
        agent.baseUrl,
        `/api/v1/namespaces/${plain.name}/not-inherited`,
      );
      assert.equal(one.status, 200);
      assert.deepEqual(
        one.body.keys.filter((k) => k.key === 'net.core.somaxconn').map((k) => k.value),
        [plainValue],
      );
      const other = await httpJson<{ keys: unknown[] }>(
        agent.baseUrl,
        `/api/v1/namespaces/${set.name}/not-inherited`,
      );
      assert.deepEqual(other.body.keys, []);

      const without = await ask({ sysctls: { 'kernel.shmmax': '1234567' } });
      assert.ok(without.notInherited.some((n) => n.key === 'net.core.somaxconn' && n.host === tuned));
      const withKey = await ask({ sysctls: { 'net.core.somaxconn': tuned } });
      assert.ok(!withKey.notInherited.some((n) => n.key === 'net.core.somaxconn'));
      const hostNet = await ask({ sysctls: {}, network: 'host' });
      assert.ok(
        !hostNet.notInherited.some((n) => n.key === 'net.core.somaxconn'),
        'shared with the host: inherited',
      );
    } finally {
      writeFileSync(file, original);
      await scope.cleanup();
      assert.equal(readFileSync(file, 'utf8').trim(), original);
    }
  });
});

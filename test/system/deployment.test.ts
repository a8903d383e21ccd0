import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  buildImage,
  ComposeProject,
  composeCommand,
  ensureNodeBaseImage,
  freeLoopbackPort,
  removeImages,
  removeUntaggedImages,
} from '../helpers/compose-project.js';
import {
  docker,
  DockerScope,
  dockerAvailable,
  ensureTestImage,
  type TestContainer,
  uniqueTestName,
} from '../helpers/docker-engine.js';
import { parseSysctlConf } from '../../src/domain/sysctl-conf/parse-sysctl-conf.js';
import { resolveConfiguredValues } from '../../src/domain/sysctl-conf/resolve-configured-values.js';
import { readBootConfFiles } from '../../src/os/sysctl-conf.reader.js';
import { httpJson, waitFor } from '../helpers/http-json.js';
import { NetnsScope } from '../helpers/netns-scope.js';
import { isRoot, REQUIRED } from '../helpers/privileges.js';

/*
 * The deployment as an operator runs it: the image built from the Dockerfile (its base made from this
 * machine's node, since no registry is reachable), started by Debian's docker-compose from the repository's
 * docker-compose.yml, with an override that only names the image, moves the port and closes the API (API_TOKEN,
 * API_READ_TOKEN, AUTH_READS=true: the healthcheck must still pass). Everything is asserted from outside, over
 * HTTP on the host's loopback.
 */

const TOKEN = 'deploy-admin-token-0123456789';
const READ_TOKEN = 'deploy-read-token-0123456789';
/** Every request of this test presents the admin token: reads are closed. */
const AUTH = { headers: { authorization: `Bearer ${TOKEN}` } };

interface NamespaceView {
  identity: string;
  kind: string;
  owners: { kind: string; name: string; declaredSysctls: Record<string, string> | null }[];
}
interface Effective {
  items: { key: string; value: string | null; source: string }[];
}
interface Health {
  lastSnapshot: { id: number } | null;
}
interface Inspect {
  State: { Health?: { Status: string } };
  Config: { User: string; Env: string[]; Healthcheck?: { Test: string[] } };
  HostConfig: {
    Privileged: boolean;
    PidMode: string;
    NetworkMode: string;
    IpcMode: string;
    CapAdd: string[] | null;
    CapDrop: string[] | null;
    ReadonlyRootfs: boolean;
  };
  Mounts: { Type: string; Source: string; Destination: string; RW: boolean; Propagation: string }[];
}

/** Skips (or fails under REQUIRE_DOCKER=1) from a suite hook, like dockerAvailable does. */
function unavailable(reason: string): false {
  if (REQUIRED) throw new Error(`REQUIRE_DOCKER=1 but ${reason}`);
  process.stdout.write(`skipped: ${reason}\n`);
  return false;
}

describe('deployment: Dockerfile and docker-compose.yml', { timeout: 20 * 60_000 }, () => {
  const containers = new DockerScope();
  const netns = new NetnsScope();
  const image = `kl-test-agent:${uniqueTestName('deploy')}`;
  const buildLayers = new Set<string>();
  let project: ComposeProject | undefined;
  let baseUrl = '';
  let agentId = '';
  let somaxconn: TestContainer;
  let ready = false;

  before(async (t) => {
    if (!(await dockerAvailable(t))) return;
    if (!isRoot()) return void unavailable('needs root (enters namespaces, mounts /run/netns)');
    const compose = await composeCommand();
    if (compose === null) return void unavailable('needs docker-compose (apt-get install docker-compose)');

    const started = Date.now();
    const lap = (what: string): void => {
      process.stdout.write(`${what} after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    };
    const base = await ensureNodeBaseImage();
    await ensureTestImage();
    lap('base images ready');
    // The container the agent must describe, with a declared namespaced sysctl.
    somaxconn = await containers.run(['--sysctl', 'net.core.somaxconn=1024'], { label: 'deploy-somaxconn' });
    // `ip netns add` makes /run/netns a shared mount, which the compose file's rslave bind requires.
    await netns.add('deploy-before');
    // NODE_MODULES=context: no registry here, node_modules comes from this checkout's `npm ci`.
    const buildMs = await buildImage(image, { BASE_IMAGE: base, NODE_MODULES: 'context' }, buildLayers);
    lap(`image ${image} built in ${(buildMs / 1000).toFixed(1)} s`);

    project = new ComposeProject(compose, uniqueTestName('deploy').replace(/[^a-z0-9_-]/g, '-'));
    const services = await project.services();
    assert.equal(services.length, 1, `docker-compose.yml declares one service, got ${services.join(', ')}`);
    const service = services[0] as string;
    // host networking: the agent binds the host's loopback, so move it off 9477 (a real agent may be there).
    const port = await freeLoopbackPort();
    project.override({
      services: {
        [service]: {
          image,
          environment: {
            PORT: String(port),
            SNAPSHOT_INTERVAL: '3600',
            API_TOKEN: TOKEN,
            API_READ_TOKEN: READ_TOKEN,
            AUTH_READS: 'true',
          },
        },
      },
    });
    await project.up();
    agentId = await project.containerId(service);
    baseUrl = `http://127.0.0.1:${port}`;
    try {
      await waitFor(
        async () => {
          const health = await httpJson<Health>(baseUrl, '/api/v1/health', AUTH).catch(() => undefined);
          return health?.body.lastSnapshot ?? undefined;
        },
        120_000,
        'the containerised agent to answer with its startup snapshot',
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${await project.logs()}`, { cause: error });
    }
    lap('agent up, first snapshot taken');
    ready = true;
  });

  after(async () => {
    const failures: string[] = [];
    const attempt = async (what: string, step: () => Promise<void>): Promise<void> => {
      try {
        await step();
      } catch (error) {
        failures.push(`${what}: ${(error as Error).message}`);
      }
    };
    await attempt('compose down', async () => project?.down());
    await attempt('image', () => removeImages(image));
    await attempt('build layers', () => removeUntaggedImages(buildLayers));
    await attempt('containers', () => containers.cleanup());
    await attempt('netns', () => netns.cleanup());
    if (failures.length > 0) throw new Error(`deployment test cleanup failed:\n${failures.join('\n')}`);
  });

  test('the agent runs with the compose file privileges: root, three capabilities, host pid/net/ipc', async (t) => {
    if (!ready) return t.skip('deployment not started');
    const [info] = JSON.parse(await docker(['inspect', agentId])) as Inspect[];
    assert.ok(info);
    assert.equal(info.HostConfig.Privileged, false);
    assert.equal(info.Config.User, '', 'root, the image default');
    assert.deepEqual(
      [info.HostConfig.PidMode, info.HostConfig.NetworkMode, info.HostConfig.IpcMode],
      ['host', 'host', 'host'],
    );
    assert.deepEqual(info.HostConfig.CapDrop, ['ALL']);
    assert.deepEqual(
      [...(info.HostConfig.CapAdd ?? [])].sort(),
      ['SYS_ADMIN', 'SYS_PTRACE', 'SYSLOG'].sort(),
    );
    assert.equal(info.HostConfig.ReadonlyRootfs, true);
    const socket = info.Mounts.find((m) => m.Destination === '/var/run/docker.sock');
    assert.equal(socket?.RW, false, 'Docker socket mounted read-only');
    const netnsMount = info.Mounts.find((m) => m.Destination === '/run/netns');
    assert.equal(netnsMount?.Propagation, 'rslave');
    const dbPath = info.Config.Env.find((e) => e.startsWith('DB_PATH='))?.slice('DB_PATH='.length) ?? '';
    const data = info.Mounts.find((m) => m.Destination === path.dirname(dbPath));
    assert.equal(data?.Type, 'volume', `the database folder of ${dbPath} is a named volume`);
  });

  test('the compose healthcheck command passes inside the container', async (t) => {
    if (!ready) return t.skip('deployment not started');
    const [info] = JSON.parse(await docker(['inspect', agentId])) as Inspect[];
    const check = info?.Config.Healthcheck?.Test ?? [];
    assert.equal(check[0], 'CMD', `an exec-form healthcheck, got ${JSON.stringify(check)}`);
    await docker(['exec', agentId, ...check.slice(1)], 30_000); // rejects on a non-zero exit
  });

  test('with AUTH_READS the API is closed, yet Docker reports the container healthy', async (t) => {
    if (!ready) return t.skip('deployment not started');
    assert.equal((await httpJson(baseUrl, '/api/v1/health')).status, 401, 'reads are closed');
    // The first check runs one interval (30 s) after start; an unauthenticated check would stay unhealthy.
    const status = await waitFor(
      async () => {
        const [info] = JSON.parse(await docker(['inspect', agentId])) as Inspect[];
        const health = info?.State.Health?.Status;
        return health === 'healthy' || health === 'unhealthy' ? health : undefined;
      },
      120_000,
      'a health status from Docker',
    );
    assert.equal(status, 'healthy');
  });

  test('the database is 0600 in a 0700 folder inside the container', async (t) => {
    if (!ready) return t.skip('deployment not started');
    const [info] = JSON.parse(await docker(['inspect', agentId])) as Inspect[];
    const dbPath = info?.Config.Env.find((e) => e.startsWith('DB_PATH='))?.slice('DB_PATH='.length) ?? '';
    const statModes =
      "for (const f of process.argv.slice(1)) console.log((require('fs').statSync(f).mode & 0o777).toString(8), f)";
    const modes = await docker(['exec', agentId, 'node', '-e', statModes, path.dirname(dbPath), dbPath]);
    assert.deepEqual(modes.trim().split('\n'), [`700 ${path.dirname(dbPath)}`, `600 ${dbPath}`]);
  });

  test('it reports the host namespace set with the host value', async (t) => {
    if (!ready) return t.skip('deployment not started');
    const all = await httpJson<{ items: NamespaceView[] }>(baseUrl, '/api/v1/namespaces', AUTH);
    assert.equal(all.status, 200);
    assert.ok(
      all.body.items.some((n) => n.identity === 'host'),
      'the host set is listed',
    );
    const host = await httpJson<Effective>(
      baseUrl,
      '/api/v1/namespaces/host/settings?prefix=net.core.somaxconn',
      AUTH,
    );
    assert.equal(host.status, 200);
    const hostValue = readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim();
    assert.deepEqual(
      host.body.items.map((i) => [i.key, i.value]),
      [['net.core.somaxconn', hostValue]],
    );
  });

  test("it reports the test container's namespace set with its declared net.core.somaxconn=1024", async (t) => {
    if (!ready) return t.skip('deployment not started');
    const own = await httpJson<Effective>(
      baseUrl,
      `/api/v1/namespaces/${somaxconn.name}/settings?prefix=net.core.somaxconn`,
      AUTH,
    );
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.deepEqual(
      own.body.items.map((i) => [i.key, i.value, i.source]),
      [['net.core.somaxconn', '1024', 'namespace']],
    );
    const detail = await httpJson<NamespaceView>(baseUrl, `/api/v1/namespaces/${somaxconn.name}`, AUTH);
    const owner = detail.body.owners.find((o) => o.name === somaxconn.name);
    assert.equal(owner?.kind, 'container');
    assert.deepEqual(owner?.declaredSysctls, { 'net.core.somaxconn': '1024' });
  });

  test("it reads the host's boot configuration through the /host mounts (drift)", async (t) => {
    if (!ready) return t.skip('deployment not started');
    // What the host's own files say, read here as the agent reads them at `/`.
    const assignments = readBootConfFiles('/').flatMap((f) => parseSysctlConf(f.file, f.text).assignments);
    const resolved = resolveConfiguredValues(
      assignments,
      assignments.map((a) => a.key).filter((key) => existsSync(path.join('/proc/sys', ...key.split('.')))),
    );
    const [expected] = [...resolved.values.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
    const drift = await httpJson<{ items: unknown[] }>(baseUrl, '/api/v1/drift', AUTH);
    assert.equal(drift.status, 200);
    if (expected === undefined) return t.diagnostic('this host configures no key of its kernel in sysctl.d');
    const setting = await httpJson<{ configured: { value: string; source: unknown } | null }>(
      baseUrl,
      `/api/v1/settings/${expected.key}`,
      AUTH,
    );
    assert.deepEqual(
      { value: setting.body.configured?.value, source: setting.body.configured?.source },
      { value: expected.value, source: expected.source },
      `GET /settings/${expected.key} shows the host's line`,
    );
  });

  test('a named netns added after the agent started is seen through the rslave mount', async (t) => {
    if (!ready) return t.skip('deployment not started');
    const late = await netns.add('deploy-after');
    const snapshot = await httpJson(baseUrl, '/api/v1/snapshots', { method: 'POST', ...AUTH });
    assert.equal(snapshot.status, 201);
    const all = await httpJson<{ items: NamespaceView[] }>(baseUrl, '/api/v1/namespaces', AUTH);
    const set = all.body.items.find((n) => n.owners.some((o) => o.kind === 'netns' && o.name === late));
    assert.ok(set, `netns ${late} listed`);
  });
});

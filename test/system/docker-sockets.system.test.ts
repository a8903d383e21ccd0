import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startAgent, tempDatabase } from '../helpers/agent-process.js';
import { dockerAvailable, DockerScope, ensureTestImage, runContainer } from '../helpers/docker-engine.js';
import { httpJson } from '../helpers/http-json.js';

const DOCKER_SOCKET = '/var/run/docker.sock';

/** A second Docker-compatible socket (as podman's would be): a byte proxy to the engine's own, counting connections. */
async function socketProxy(socketPath: string): Promise<{ server: Server; connections: () => number }> {
  let count = 0;
  const server = createServer((client) => {
    count += 1;
    const upstream = connect(DOCKER_SOCKET);
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
  return { server, connections: () => count };
}

interface NamespaceItem {
  owners: { kind: string; name: string; ref: string }[];
}

/**
 * DOCKER_SOCKET as a list: every engine whose socket exists is asked; a container behind two sockets counts once;
 * a socket that does not exist is skipped (no engine installed there, as podman's on most hosts); one that exists
 * but does not answer (a stale file left by a stopped engine) is an error naming it while the others' containers
 * stay discovered.
 */
test('DOCKER_SOCKET lists several Docker-compatible sockets: all asked, duplicates merged, an absent one skipped, a dead one named', async (t) => {
  if (!(await dockerAvailable(t))) return;
  await ensureTestImage();
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-docker-sockets-'));
  const proxyPath = path.join(dir, 'podman-like.sock');
  const missing = path.join(dir, 'absent.sock');
  const stale = path.join(dir, 'stale.sock');
  writeFileSync(stale, '');
  const scope = new DockerScope();
  const proxy = await socketProxy(proxyPath);
  const db = tempDatabase('docker-sockets');
  const agent = await startAgent({
    DB_PATH: db.dbPath,
    SNAPSHOT_INTERVAL: '3600',
    CRI_SOCKET: 'none',
    DOCKER_SOCKET: `${DOCKER_SOCKET},${proxyPath},${missing},${stale}`,
  });
  try {
    const container = await runContainer([], { label: 'sockets', scope });
    const snapshot = await httpJson<{ errors: { source: string; message: string }[] }>(
      agent.baseUrl,
      '/api/v1/snapshots',
      { method: 'POST' },
    );
    assert.equal(snapshot.status, 201);
    assert.ok(proxy.connections() > 0, 'the second socket was asked');
    const listed = await httpJson<{ items: NamespaceItem[] }>(agent.baseUrl, '/api/v1/namespaces');
    const owners = listed.body.items.flatMap((s) => s.owners.filter((o) => o.ref === container.id));
    assert.deepEqual(
      owners.map((o) => [o.kind, o.name]),
      [['container', container.name]],
      'seen through both sockets, recorded once',
    );
    const dockerErrors = snapshot.body.errors.filter((e) => e.source === 'docker');
    assert.equal(dockerErrors.length, 1, JSON.stringify(snapshot.body.errors));
    assert.match(
      dockerErrors[0]?.message ?? '',
      new RegExp(`Docker is unreachable at ${stale}: .*ECONNREFUSED`),
    );
  } finally {
    await agent.stop();
    await scope.cleanup();
    await new Promise((resolve) => proxy.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
    db.cleanup();
  }
});

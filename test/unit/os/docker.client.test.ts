import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DockerClient } from '../../../src/os/docker.client.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A fake Docker engine on a unix socket in a temp dir; closed and removed after `run`. */
async function withEngine(handler: Handler, run: (socketPath: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-docker-'));
  const socketPath = path.join(dir, 'docker.sock');
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  try {
    await run(socketPath);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const inspectOf = (
  id: string,
  pid: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  Id: id,
  Name: `/${id}-name`,
  State: { Running: pid > 0, Pid: pid },
  Config: { Image: 'busybox:latest', Labels: { team: 'a' } },
  HostConfig: { NetworkMode: 'bridge', Sysctls: { 'net.core.somaxconn': '1024' } },
  ...extra,
});

test('lists running containers over the socket: filter, inspect, gone and stopped ones left out', async () => {
  const paths: string[] = [];
  await withEngine(
    (req, res) => {
      paths.push(req.url ?? '');
      if (req.url?.startsWith('/containers/json?')) {
        json(res, 200, [{ Id: 'aaa' }, { Id: 'gone' }, { Id: 'stopped' }, { Id: 'bare' }]);
      } else if (req.url === '/containers/aaa/json') json(res, 200, inspectOf('aaa', 4242));
      else if (req.url === '/containers/stopped/json') json(res, 200, inspectOf('stopped', 0));
      else if (req.url === '/containers/bare/json') {
        json(res, 200, inspectOf('bare', 7, { Config: { Image: 'x' }, HostConfig: { Sysctls: null } }));
      } else json(res, 404, { message: 'No such container' });
    },
    async (socketPath) => {
      const client = new DockerClient({ socketPath, timeoutMs: 2000, dockerHost: undefined });
      assert.deepEqual(await client.runningContainers(), [
        {
          id: 'aaa',
          name: 'aaa-name',
          image: 'busybox:latest',
          labels: { team: 'a' },
          pid: 4242,
          networkMode: 'bridge',
          declaredSysctls: { 'net.core.somaxconn': '1024' },
        },
        {
          id: 'bare',
          name: 'bare-name',
          image: 'x',
          labels: {},
          pid: 7,
          networkMode: 'default',
          declaredSysctls: {},
        },
      ]);
    },
  );
  const list = new URL(`http://docker${paths[0] ?? ''}`);
  assert.equal(list.pathname, '/containers/json');
  assert.deepEqual(JSON.parse(list.searchParams.get('filters') ?? ''), { status: ['running'] });
});

test('an engine error on the list rejects with its status and message', async () => {
  await withEngine(
    (_req, res) => json(res, 500, { message: 'engine exploded' }),
    async (socketPath) => {
      const client = new DockerClient({ socketPath, timeoutMs: 2000, dockerHost: undefined });
      await assert.rejects(client.runningContainers(), /HTTP code 500.*engine exploded/);
    },
  );
});

test('a silent engine times out; a missing socket rejects', async () => {
  await withEngine(
    () => undefined, // never answers
    async (socketPath) => {
      const client = new DockerClient({ socketPath, timeoutMs: 100, dockerHost: undefined });
      await assert.rejects(client.runningContainers(), /timeout after 100 ms/);
    },
  );
  const nowhere = new DockerClient({
    socketPath: '/nonexistent/kl-docker.sock',
    timeoutMs: 500,
    dockerHost: undefined,
  });
  await assert.rejects(nowhere.runningContainers(), /ENOENT/);
});

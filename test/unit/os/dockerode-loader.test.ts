import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { loadDockerode, unusedDependencies } from '../../../src/os/dockerode.loader.js';

const require = createRequire(import.meta.url);

test('ssh2 is needed only when DOCKER_HOST is an ssh:// URL; the gRPC packages never are', () => {
  const modules = (host: string | undefined): string[] => unusedDependencies(host).map((d) => d.module);
  assert.deepEqual(modules(undefined), ['@grpc/grpc-js', '@grpc/proto-loader', 'ssh2']);
  assert.deepEqual(modules('unix:///var/run/docker.sock'), ['@grpc/grpc-js', '@grpc/proto-loader', 'ssh2']);
  assert.deepEqual(modules('tcp://127.0.0.1:2375'), ['@grpc/grpc-js', '@grpc/proto-loader', 'ssh2']);
  assert.deepEqual(modules('SSH://deploy@db-7'), ['@grpc/grpc-js', '@grpc/proto-loader']);
});

test('dockerode loads and builds clients while the unused packages are placeholders that say so', () => {
  const Dockerode = loadDockerode(undefined);
  assert.equal(loadDockerode(undefined), Dockerode, 'loaded once');
  const client = new Dockerode({ socketPath: '/nonexistent/docker.sock' });
  assert.equal(typeof client.listContainers, 'function');

  const fromDockerode = createRequire(require.resolve('dockerode'));
  const fromModem = createRequire(fromDockerode.resolve('docker-modem'));
  const ssh2 = fromModem('ssh2') as { Client: new () => unknown };
  assert.throws(
    () => new ssh2.Client(),
    /^Error: ssh2 is not loaded: kernel-ledger does not use ssh:\/\/ Docker hosts$/,
  );
  const grpc = fromDockerode('@grpc/grpc-js') as { Server: new () => unknown };
  assert.throws(() => new grpc.Server(), /@grpc\/grpc-js is not loaded: .*BuildKit sessions/);
  const loader = fromDockerode('@grpc/proto-loader') as { loadSync: (file: string) => unknown };
  assert.throws(() => loader.loadSync('x.proto'), /@grpc\/proto-loader is not loaded/);
  // The module cache holds the three placeholders under their entry files, and no other file of theirs.
  const cached = Object.keys(require.cache).filter((file) => /node_modules\/(ssh2|@grpc)\//.test(file));
  assert.deepEqual(cached.sort(), [
    fromDockerode.resolve('@grpc/grpc-js'),
    fromDockerode.resolve('@grpc/proto-loader'),
    fromModem.resolve('ssh2'),
  ]);
});

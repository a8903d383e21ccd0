import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DockerClient } from '../../../src/os/docker.client.js';

/**
 * With none of the listed sockets present (a host without Docker or podman), every engine is still asked, so
 * each absence is named; the skipping of absent sockets beside a present one is the docker-sockets system test.
 */
test('no listed socket exists: each one is asked and named in an error', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-docker-client-'));
  try {
    const docker = path.join(dir, 'docker.sock');
    const podman = path.join(dir, 'podman.sock');
    const answer = await new DockerClient({
      socketPaths: [docker, podman],
      timeoutMs: 1000,
    }).runningContainers();
    assert.deepEqual(answer.containers, []);
    assert.deepEqual(
      answer.errors.map((e) => [e.engine, /ENOENT/.test(e.message)]),
      [
        [docker, true],
        [podman, true],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

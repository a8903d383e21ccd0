import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { deployedRuntime, REPO_ROOT } from '../../../bench/processes.js';

test("the image's node arguments and runtime variables, as the benchmarks start the agent with them", () => {
  const runtime = deployedRuntime();
  assert.deepEqual(runtime.nodeArgs, ['--max-semi-space-size=1', '--heap-growing-percent=10']);
  assert.equal(runtime.env['MALLOC_ARENA_MAX'], '2');
  assert.equal(runtime.env['MALLOC_MMAP_THRESHOLD_'], '65536');
  assert.equal(runtime.env['NODE_ENV'], 'production');
  for (const own of ['HOST', 'PORT', 'DB_PATH']) assert.equal(runtime.env[own], undefined, own);
  // This node accepts them (a V8 flag dropped by a Node upgrade would stop the container from starting).
  const run = spawnSync(process.execPath, [...runtime.nodeArgs, '-e', '0'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
});

test('`npm start` runs the agent with the same node arguments and memory variables as the image', () => {
  const runtime = deployedRuntime();
  const scripts = (
    JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  assert.match(scripts['start'] ?? '', /npm run start:built --$/, 'arguments pass through to the agent');
  const words = (scripts['start:built'] ?? '').split(/\s+/);
  const node = words.indexOf('node');
  assert.deepEqual(words.slice(node + 1, node + 1 + runtime.nodeArgs.length), runtime.nodeArgs);
  for (const name of ['MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_', 'MALLOC_TRIM_THRESHOLD_']) {
    assert.ok(words.slice(0, node).includes(`${name}=${runtime.env[name]}`), name);
  }
});

test('reads the final stage only, joins continued lines, keeps quoted values whole', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-dockerfile-'));
  try {
    const file = path.join(dir, 'Dockerfile');
    writeFileSync(
      file,
      [
        'FROM base AS build',
        'ENV BUILD_ONLY=1',
        'CMD ["node", "--build-flag", "x.js"]',
        'FROM base',
        'ENV A=1 \\',
        '    B="two words" \\',
        '    PORT=9477',
        'CMD ["node", "--max-semi-space-size=1", "/app/dist/src/main.js"]',
        '',
      ].join('\n'),
    );
    assert.deepEqual(deployedRuntime(file), {
      nodeArgs: ['--max-semi-space-size=1'],
      env: { A: '1', B: 'two words' },
    });
    writeFileSync(file, 'FROM base\nCMD node main.js\n');
    assert.throws(() => deployedRuntime(file), /no exec-form CMD/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

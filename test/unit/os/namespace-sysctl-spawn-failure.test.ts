import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

const READER = pathToFileURL(
  path.resolve(import.meta.dirname, '../../../src/os/namespace-sysctl.reader.js'),
).href;

/*
 * A real node process with `ulimit -n 64` takes every free descriptor, then asks for a namespace read: spawn
 * fails with EMFILE before nsenter runs (no root needed). It used to throw an unheard 'error' and kill the
 * process; now the read rejects with the cause and the process carries on.
 */
const SCRIPT = `
import { openSync, closeSync } from 'node:fs';
const { readNamespaceSysctls } = await import(${JSON.stringify(READER)});
const held = [];
try { for (;;) held.push(openSync('/dev/null', 'r')); } catch {}
let outcome;
try {
  await readNamespaceSysctls({ procRoot: '/proc', enter: { net: '/proc/1/ns/net' }, types: ['net'], timeoutMs: 2000 });
  outcome = 'resolved';
} catch (error) {
  outcome = error.message;
}
for (const fd of held) closeSync(fd);
await new Promise((resolve) => setTimeout(resolve, 100));
process.stdout.write(JSON.stringify({ outcome, alive: true }));
`;

test('a namespace read that cannot spawn (EMFILE) rejects with the cause; the process stays up', async () => {
  const { stdout } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    execFile(
      'bash',
      ['-c', 'ulimit -n 64 && exec "$0" --input-type=module -e "$1"', process.execPath, SCRIPT],
      { timeout: 20_000 },
      (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve({ stdout: out, stderr: err }),
    );
  });
  const result = JSON.parse(stdout) as { outcome: string; alive: boolean };
  assert.equal(result.alive, true);
  assert.match(result.outcome, /cannot run nsenter: .*EMFILE.*out of file descriptors/);
});

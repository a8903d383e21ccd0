import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import { test } from 'node:test';
import { tempDatabase } from '../helpers/agent-process.js';
import { FakeProcRoot, isolatedEnv } from '../helpers/fake-proc-root.js';
import { httpJson } from '../helpers/http-json.js';
import { startAgent } from '../helpers/start-agent.js';

interface Health {
  status: string;
  details: Record<string, { status: string; message?: string } | undefined>;
}

/**
 * A snapshot that cannot be taken at all (here the procfs root is gone, as /proc is when file descriptors have
 * run out) writes no row: /health must say so at once, not when the last good snapshot is three intervals old,
 * and be up again after the next snapshot that commits.
 */
test('a failed snapshot turns /health 503 at once, with the reason; the next good one clears it', async () => {
  const db = tempDatabase('snapshot-failure');
  const proc = new FakeProcRoot({ 'fake.group.key': '1' });
  const agent = await startAgent({ env: isolatedEnv(proc.dir, db.dbPath) });
  const snapshot = () =>
    httpJson<{ message?: string }>(agent.baseUrl, '/api/v1/snapshots', { method: 'POST' });
  const health = () => httpJson<Health>(agent.baseUrl, '/api/v1/health');
  try {
    assert.equal((await snapshot()).status, 201);
    const before = await health();
    assert.equal(before.body.details.snapshots?.status, 'up');

    renameSync(proc.dir, `${proc.dir}.gone`);
    try {
      const failed = await snapshot();
      assert.equal(failed.status, 503);
      assert.match(failed.body.message ?? '', /^the snapshot could not be taken: .*ENOENT/);
      const down = await health();
      assert.equal(down.status, 503);
      assert.equal(down.body.details.snapshots?.status, 'down');
      assert.match(down.body.details.snapshots?.message ?? '', /^the last snapshot failed at .*ENOENT/);
    } finally {
      renameSync(`${proc.dir}.gone`, proc.dir);
    }

    assert.equal((await snapshot()).status, 201);
    const up = await health();
    assert.equal(up.body.details.snapshots?.status, 'up');
  } finally {
    await agent.close();
    proc.cleanup();
    db.cleanup();
  }
});

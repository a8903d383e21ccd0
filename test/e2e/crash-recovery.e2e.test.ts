import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { startAgent, tempDatabase } from '../helpers/agent-process.js';

const GROUPS = 20;
const KEYS_PER_GROUP = 100;
const ROUNDS = 6;

/** A fake procfs root with 2,000 settings whose values the test keeps changing, so every snapshot writes a lot. */
function writeProcRoot(root: string, generation: number): void {
  for (let g = 0; g < GROUPS; g++) {
    const dir = path.join(root, 'sys', 'fake', `group${g}`);
    mkdirSync(dir, { recursive: true });
    for (let k = 0; k < KEYS_PER_GROUP; k++)
      writeFileSync(path.join(dir, `key${k}`), `${generation * 7 + k}\n`);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('kill -9 during snapshots never leaves a corrupt file or a half-written snapshot', async () => {
  const db = tempDatabase('crash');
  const procRoot = mkdtempSync(path.join(tmpdir(), 'kl-crash-proc-'));
  let generation = 0;
  writeProcRoot(procRoot, generation);
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const agent = await startAgent({ DB_PATH: db.dbPath, PROC_ROOT: procRoot, SNAPSHOT_INTERVAL: '1' });
      // One committed snapshot per round whatever the machine's load, then kills at a random moment.
      writeProcRoot(procRoot, ++generation);
      const committed = await fetch(`${agent.baseUrl}/api/v1/snapshots`, { method: 'POST' });
      assert.equal(committed.status, 201);
      const deadline = Date.now() + 400 + Math.floor(Math.random() * 1200);
      const posts: Promise<unknown>[] = [];
      while (Date.now() < deadline) {
        writeProcRoot(procRoot, ++generation);
        posts.push(fetch(`${agent.baseUrl}/api/v1/snapshots`, { method: 'POST' }).catch(() => undefined));
        await sleep(40);
      }
      await agent.kill9();
      await Promise.all(posts);
    }
    const last = await startAgent({ DB_PATH: db.dbPath, PROC_ROOT: procRoot, SNAPSHOT_INTERVAL: '3600' });
    await last.stop();

    const file = new Database(db.dbPath, { readonly: true });
    try {
      assert.equal(
        (file.pragma('integrity_check') as { integrity_check: string }[])[0]?.integrity_check,
        'ok',
      );
      const snapshots = file
        .prepare('SELECT id, change_count, duration_ms FROM snapshots ORDER BY id')
        .all() as {
        id: number;
        change_count: number;
        duration_ms: number;
      }[];
      assert.ok(snapshots.length >= ROUNDS, `only ${snapshots.length} snapshots committed`);
      const opened = file.prepare('SELECT count(*) AS n FROM setting_values WHERE opened_by = ?');
      const closedOnly = file.prepare(
        `SELECT count(*) AS n FROM setting_values c WHERE c.closed_by = ?
           AND NOT EXISTS (SELECT 1 FROM setting_values o WHERE o.opened_by = c.closed_by
                            AND o.key_id = c.key_id AND o.namespace_id = c.namespace_id)`,
      );
      for (const s of snapshots) {
        const written = (opened.get(s.id) as { n: number }).n + (closedOnly.get(s.id) as { n: number }).n;
        assert.equal(written, s.change_count, `snapshot ${s.id} is half-written`);
        assert.ok(s.duration_ms > 0, `snapshot ${s.id} never finished its transaction`);
      }
      const gaps = file
        .prepare(
          `SELECT count(*) AS n FROM setting_values a JOIN setting_values b
             ON a.namespace_id = b.namespace_id AND a.key_id = b.key_id AND b.opened_by = a.closed_by
            WHERE a.valid_to <> b.valid_from`,
        )
        .get() as { n: number };
      assert.equal(gaps.n, 0, 'value intervals of a key are contiguous');
      const open = file.prepare('SELECT count(*) AS n FROM setting_values WHERE valid_to IS NULL').get() as {
        n: number;
      };
      assert.equal(open.n, GROUPS * KEYS_PER_GROUP, 'exactly one open interval per key');
    } finally {
      file.close();
    }
  } finally {
    rmSync(procRoot, { recursive: true, force: true });
    db.cleanup();
  }
});

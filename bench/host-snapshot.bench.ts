import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onCleanup } from './cleanup.js';
import { databaseBytes } from './database-bytes.js';
import { createBenchAgent } from './in-process-agent.js';
import { SnapshotService } from '../src/snapshot/snapshot.service.js';
import { type BenchFigure, median, note, runCommand, timeMs } from './measure.js';

const RUNS = 15;
const IDLE_SNAPSHOTS_FOR_GROWTH = 100;

/**
 * Issue 2 figures: an idle host snapshot (read + classify + diff + persist) against `sysctl -a` (procps), runs
 * alternating, medians after a warm-up; and database growth for the first and for idle snapshots.
 */
export async function benchHostSnapshot(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-bench-host-'));
  const removeDir = onCleanup('host temp dir', () => rmSync(dir, { recursive: true, force: true }));
  // The host alone: no named netns, no Docker (processes of other jobs in their own namespaces still count).
  const { app, dbPath } = await createBenchAgent(dir, {
    PROC_ROOT: '/proc',
    NETNS_DIR: path.join(dir, 'no-netns'),
  });
  try {
    const snapshots = app.get(SnapshotService);
    const first = await snapshots.runOnce('api'); // the startup snapshot runs first; this one waits for it
    if (first.namespacesRead > 1)
      note(
        `host: the agent also read ${first.namespacesRead - 1} sets of other jobs' processes on this machine`,
      );
    const afterFirst = databaseBytes(dbPath);
    for (let i = 0; i < 3; i++) {
      await snapshots.runOnce('api');
      runCommand('sysctl', ['-a']);
    }
    const ours: number[] = [];
    const peer: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      ours.push(await timeMs(() => snapshots.runOnce('api')));
      peer.push(await timeMs(() => runCommand('sysctl', ['-a'])));
    }
    const beforeIdle = databaseBytes(dbPath);
    for (let i = 0; i < IDLE_SNAPSHOTS_FOR_GROWTH; i++) await snapshots.runOnce('api');
    const perIdle = (databaseBytes(dbPath) - beforeIdle) / IDLE_SNAPSHOTS_FOR_GROWTH;
    const oursMs = median(ours);
    const peerMs = median(peer);
    return [
      {
        name: 'host snapshot (idle) vs sysctl -a',
        ours: oursMs,
        peer: peerMs,
        unit: 'ms',
        ratio: oursMs / peerMs,
        target: '<= 1.0x',
      },
      {
        name: 'DB bytes after first snapshot',
        ours: afterFirst,
        peer: null,
        unit: 'B',
        ratio: afterFirst / 1_000_000,
        target: 'reported (ratio vs 1 MB)',
      },
      {
        name: 'DB bytes per idle snapshot',
        ours: perIdle,
        peer: null,
        unit: 'B',
        ratio: perIdle / 1024,
        target: '<= 1 KB',
      },
    ];
  } finally {
    await app.close();
    removeDir();
  }
}

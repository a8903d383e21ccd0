import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app.factory.js';
import { validateEnvironment } from '../src/config/env.schema.js';
import { SnapshotService } from '../src/snapshot/snapshot.service.js';
import { databaseBytes } from './database-bytes.js';
import { type BenchFigure, median, runCommand, timeMs } from './measure.js';
import { NetnsFleet } from './netns-fleet.js';

const NAMESPACES = 50;
const RUNS = 7;
const IDLE_SNAPSHOTS_FOR_GROWTH = 20;

/**
 * Issue 3 figures: one full snapshot of the host + 50 named netns against `ip netns exec NS sysctl -a` for
 * each of them, alternating, medians after a warm-up; and what an idle re-snapshot of all 51 sets adds.
 */
export async function benchNetnsSnapshot(): Promise<BenchFigure[]> {
  if (process.getuid?.() !== 0) {
    process.stdout.write('# netns benchmark skipped: needs root (ip netns add)\n');
    return [];
  }
  const fleet = new NetnsFleet('kl-bench', NAMESPACES);
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-bench-netns-'));
  const dbPath = path.join(dir, 'bench.sqlite');
  const app = await createApp(validateEnvironment({ DB_PATH: dbPath, SNAPSHOT_INTERVAL: '86400', LOG_LEVEL: 'silent' }));
  await app.init();
  try {
    const snapshots = app.get(SnapshotService);
    const first = await snapshots.runOnce('api');
    const peerRun = (): void => {
      for (const name of fleet.names) runCommand('ip', ['netns', 'exec', name, 'sysctl', '-a']);
    };
    await snapshots.runOnce('api');
    peerRun();
    const ours: number[] = [];
    const peer: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      ours.push(await timeMs(() => snapshots.runOnce('api')));
      peer.push(await timeMs(peerRun));
    }
    const beforeIdle = databaseBytes(dbPath);
    for (let i = 0; i < IDLE_SNAPSHOTS_FOR_GROWTH; i++) await snapshots.runOnce('api');
    const perIdle = (databaseBytes(dbPath) - beforeIdle) / IDLE_SNAPSHOTS_FOR_GROWTH;
    const oursMs = median(ours);
    const peerMs = median(peer);
    return [
      {
        name: `snapshot host + ${NAMESPACES} netns (${first.namespacesRead} sets) vs ip netns exec sysctl -a`,
        ours: oursMs,
        peer: peerMs,
        unit: 'ms',
        ratio: oursMs / peerMs,
        target: '<= 0.5x',
      },
      {
        name: `DB bytes per idle snapshot of ${first.namespacesRead} sets`,
        ours: perIdle,
        peer: null,
        unit: 'B',
        ratio: perIdle / 2048,
        target: '<= 2 KB',
      },
    ];
  } finally {
    await app.close();
    fleet.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}

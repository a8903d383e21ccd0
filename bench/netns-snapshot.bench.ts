import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBenchAgent } from './in-process-agent.js';
import { SnapshotService } from '../src/snapshot/snapshot.service.js';
import { onCleanup } from './cleanup.js';
import { databaseBytes } from './database-bytes.js';
import { type BenchFigure, median, note, runCommand, timeMs } from './measure.js';
import { NetnsFleet } from './netns-fleet.js';

const NAMESPACES = 50;
const RUNS = 7;
const SWEEP_RUNS = 5;
const IDLE_SNAPSHOTS_FOR_GROWTH = 10;
/** NAMESPACE_READ_CONCURRENCY values compared; the first is the default and carries the headline figure. */
const CONCURRENCIES = [4, 2, 8];

/**
 * Figure 2: one full snapshot of the host + 50 named netns against `ip netns exec NS sysctl -a` for each of them,
 * alternating, medians after a warm-up, at NAMESPACE_READ_CONCURRENCY 4 (default), 2 and 8; and what an idle
 * re-snapshot of all the sets adds to the database. The agent sees exactly our 50 netns (NETNS_DIR is a private
 * directory of bind mounts) and no Docker; processes of other jobs in their own namespaces would still count and
 * are reported.
 */
export async function benchNetnsSnapshot(): Promise<BenchFigure[]> {
  if (process.getuid?.() !== 0) {
    note('netns benchmark skipped: needs root (ip netns add)');
    return [];
  }
  const fleet = new NetnsFleet('kl-bench', NAMESPACES);
  const figures: BenchFigure[] = [];
  try {
    const peerRun = (): void => {
      for (const name of fleet.names) runCommand('ip', ['netns', 'exec', name, 'sysctl', '-a']);
    };
    for (const [index, concurrency] of CONCURRENCIES.entries()) {
      const headline = index === 0;
      const dir = mkdtempSync(path.join(tmpdir(), 'kl-bench-netns-'));
      const removeDir = onCleanup('netns temp dir', () => rmSync(dir, { recursive: true, force: true }));
      const { app, dbPath } = await createBenchAgent(dir, {
        NETNS_DIR: fleet.dir,
        NAMESPACE_READ_CONCURRENCY: String(concurrency),
        // Every netns read in full every snapshot, as the peer reads them all (rolling full reads would skip most).
        FULL_READS_PER_SNAPSHOT: '0',
      });
      try {
        const snapshots = app.get(SnapshotService);
        const first = await snapshots.runOnce('api');
        await snapshots.runOnce('api');
        peerRun();
        const ours: number[] = [];
        const peer: number[] = [];
        for (let i = 0; i < (headline ? RUNS : SWEEP_RUNS); i++) {
          ours.push(await timeMs(() => snapshots.runOnce('api')));
          peer.push(await timeMs(peerRun));
        }
        const oursMs = median(ours);
        const peerMs = median(peer);
        if (headline && first.namespacesRead !== NAMESPACES + 1) {
          note(
            `netns: the agent read ${first.namespacesRead} sets, ${first.namespacesRead - NAMESPACES - 1} more than host + ${NAMESPACES} (processes of other jobs in their own namespaces)`,
          );
        }
        figures.push({
          name: `snapshot host + ${NAMESPACES} netns (${first.namespacesRead} sets, concurrency ${concurrency}${headline ? ', default' : ''}) vs ip netns exec sysctl -a`,
          ours: oursMs,
          peer: peerMs,
          unit: 'ms',
          ratio: oursMs / peerMs,
          target: headline ? '<= 0.5x' : 'reported',
        });
        if (headline) {
          const beforeIdle = databaseBytes(dbPath);
          for (let i = 0; i < IDLE_SNAPSHOTS_FOR_GROWTH; i++) await snapshots.runOnce('api');
          const perIdle = (databaseBytes(dbPath) - beforeIdle) / IDLE_SNAPSHOTS_FOR_GROWTH;
          figures.push({
            name: `DB bytes per idle snapshot of ${first.namespacesRead} sets`,
            ours: perIdle,
            peer: null,
            unit: 'B',
            ratio: perIdle / 2048,
            target: '<= 2 KB',
          });
        }
      } finally {
        await app.close();
        removeDir();
      }
    }
    return figures;
  } finally {
    fleet.remove();
  }
}

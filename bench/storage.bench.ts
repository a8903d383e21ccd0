import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onCleanup } from './cleanup.js';
import { type BenchFigure, note } from './measure.js';
import { generateHistory, type SyntheticHistory } from './synthetic-history.js';

export const SETS = 50;
const CHANGE_PER_HOUR = 0.01;
const MINUTES_IN_30_DAYS = 30 * 24 * 60;
const TARGET_30_DAYS = 100 * 1024 * 1024;

/** Days of history generated (default 30; fewer are extrapolated to 30 linearly); BENCH_STORAGE_DAYS overrides. */
export function generatedDays(): number {
  const raw = Number(process.env['BENCH_STORAGE_DAYS'] ?? '30');
  return Number.isFinite(raw) && raw > 0 ? Math.min(raw, 30) : 30;
}

export interface SyntheticDatabase {
  readonly dbPath: string;
  readonly history: SyntheticHistory;
  readonly days: number;
  remove(): void;
}

/** Builds the synthetic history database (kept for the API figures; `remove()` deletes it). */
export async function buildSyntheticDatabase(): Promise<SyntheticDatabase> {
  const days = generatedDays();
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-bench-storage-'));
  // BENCH_KEEP_DB=1 keeps the file for EXPLAIN QUERY PLAN and the like (its path is printed).
  const keep = process.env['BENCH_KEEP_DB'] === '1';
  const remove = keep
    ? () => note(`storage: synthetic database kept at ${dir}`)
    : onCleanup('synthetic database', () => rmSync(dir, { recursive: true, force: true }));
  const dbPath = path.join(dir, 'history.sqlite');
  const reuse = process.env['BENCH_HISTORY_DIR'];
  if (reuse) return reusedDatabase(reuse, dbPath, remove);
  try {
    const history = await generateHistory({
      dbPath,
      sets: SETS,
      minutes: Math.round(days * 24 * 60) - 61,
      changePerHour: CHANGE_PER_HOUR,
      endAt: Date.now() - 60_000,
    });
    note(
      `storage: ${history.snapshots} synthetic snapshots of host (${history.hostKeys} settings) + ${SETS} sets (${history.setKeys} settings each), ${history.changesWritten} value changes, generated in ${(history.generationMs / 1000).toFixed(0)} s; file ${(history.bytesAtEnd / 1048576).toFixed(1)} MiB`,
    );
    if (keep)
      writeFileSync(path.join(dir, 'history.json'), `${JSON.stringify({ days, history }, null, 2)}\n`);
    return { dbPath, history, days, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

/**
 * BENCH_HISTORY_DIR: a history kept by an earlier run (BENCH_KEEP_DB=1: `history.sqlite` and `history.json`),
 * copied into this run's directory so the run's writes (the report incidents) do not accumulate in it.
 */
function reusedDatabase(source: string, dbPath: string, remove: () => void): SyntheticDatabase {
  const kept = JSON.parse(readFileSync(path.join(source, 'history.json'), 'utf8')) as {
    days: number;
    history: SyntheticHistory;
  };
  copyFileSync(path.join(source, 'history.sqlite'), dbPath);
  if (existsSync(path.join(source, 'history.sqlite-wal')))
    copyFileSync(path.join(source, 'history.sqlite-wal'), `${dbPath}-wal`);
  note(`storage: reusing the ${kept.days}-day history of ${source} (generated, not measured, in this run)`);
  return { dbPath, history: kept.history, days: kept.days, remove };
}

/** Figure 5: storage of the synthetic history, measured on the file (WAL checkpointed). */
export function storageFigures(db: SyntheticDatabase): BenchFigure[] {
  const h = db.history;
  const measured = db.days >= 30;
  const projected = measured
    ? h.bytesAtEnd
    : h.bytesAfterFirst + h.bytesPerModelSnapshot * (MINUTES_IN_30_DAYS - 1);
  const sets = `host + ${SETS} sets`;
  return [
    {
      name: `DB bytes after the first snapshot (synthetic ${sets})`,
      ours: h.bytesAfterFirst,
      peer: null,
      unit: 'B',
      ratio: h.bytesAfterFirst / 1_048_576,
      target: 'reported (ratio vs 1 MiB)',
    },
    {
      name: `DB bytes per idle snapshot (synthetic ${sets})`,
      ours: h.bytesPerIdleSnapshot,
      peer: null,
      unit: 'B',
      ratio: h.bytesPerIdleSnapshot / 2048,
      target: '<= 2 KB',
    },
    {
      name: `DB bytes per snapshot, 1%/h of keys changing, host counters moving (${sets})`,
      ours: h.bytesPerModelSnapshot,
      peer: null,
      unit: 'B',
      ratio: h.bytesPerModelSnapshot / 1024,
      target: 'reported (ratio vs 1 KiB)',
    },
    {
      name: measured
        ? `DB bytes for 30 days at 1/min, ${sets}, 1%/h changing (30 days generated, measured)`
        : `DB bytes for 30 days at 1/min, ${sets}, 1%/h changing (${db.days} days generated, extrapolated linearly)`,
      ours: projected,
      peer: null,
      unit: 'B',
      ratio: projected / TARGET_30_DAYS,
      target: '<= 100 MiB',
    },
  ];
}

import { spawnSync } from 'node:child_process';

export interface BenchFigure {
  name: string;
  ours: number;
  peer: number | null;
  unit: string;
  /** ours / peer where a peer exists, else ours / target. */
  ratio: number;
  target: string;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export async function timeMs(run: () => unknown): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** Runs a command to completion, output discarded; throws when it cannot run at all. */
export function runCommand(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  if (result.error) throw result.error;
}

export function printTable(figures: readonly BenchFigure[]): void {
  const rows = figures.map((f) => [
    f.name,
    `${f.ours.toFixed(2)} ${f.unit}`,
    f.peer === null ? '-' : `${f.peer.toFixed(2)} ${f.unit}`,
    `${f.ratio.toFixed(2)}x`,
    f.target,
  ]);
  const header = ['figure', 'ours', 'peer', 'ratio', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  process.stdout.write(`${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

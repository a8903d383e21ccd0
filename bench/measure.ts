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

const notes: string[] = [];

/** A line printed now and again under the table (set counts, request rates, skipped sections). */
export function note(text: string): void {
  notes.push(text);
  process.stdout.write(`# ${text}\n`);
}

export function allNotes(): readonly string[] {
  return notes;
}

/** Runs a command to completion, output discarded; throws when it cannot run at all. */
export function runCommand(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  if (result.error) throw result.error;
}

export function printTable(figures: readonly BenchFigure[]): void {
  const rows = figures.map((f) => [
    f.name,
    show(f.ours, f.unit),
    f.peer === null ? '-' : show(f.peer, f.unit),
    `${f.ratio.toFixed(2)}x`,
    f.target,
  ]);
  const header = ['figure', 'ours', 'peer', 'ratio', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  process.stdout.write(`${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

function show(value: number, unit: string): string {
  if (unit === 'B') {
    if (value >= 1024 * 1024) return `${(value / 1024 / 1024).toFixed(1)} MiB`;
    if (value >= 1024) return `${(value / 1024).toFixed(1)} KiB`;
    return `${value.toFixed(0)} B`;
  }
  return `${value.toFixed(2)} ${unit}`;
}

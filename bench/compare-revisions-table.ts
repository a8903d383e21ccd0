// Reads the per-round results.partial.json copies written by compare-revisions.sh and prints, per figure, the
// median ratio (ours / peer, or ours / target) of the old revision and of this tree, side by side.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { BenchFigure } from './measure.js';

interface Side {
  ratio: number;
  ours: number;
}

interface FigureRounds {
  old: Side[];
  new: Side[];
  unit: string;
  target: string;
}

const median = (values: number[]): number | null => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : null;
};
const format = (value: number | null): string =>
  value === null ? '—' : String(Number(value.toPrecision(3)));

function readRounds(dir: string): Map<string, FigureRounds> {
  const rounds = new Map<string, FigureRounds>();
  for (const file of readdirSync(dir).filter((name) => /^(old|new)-.*\.json$/.test(name))) {
    const side = file.startsWith('old-') ? 'old' : 'new';
    const figures = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as BenchFigure[];
    for (const figure of figures) {
      if (typeof figure.ratio !== 'number') continue;
      const entry = rounds.get(figure.name) ?? { old: [], new: [], unit: figure.unit, target: figure.target };
      entry[side].push({ ratio: figure.ratio, ours: figure.ours });
      rounds.set(figure.name, entry);
    }
  }
  return rounds;
}

function main(): void {
  const [dir, oldRev] = process.argv.slice(2);
  const rows = [...readRounds(dir)].map(([name, entry]) => ({
    name,
    target: entry.target,
    unit: entry.unit,
    oldRatio: median(entry.old.map((side) => side.ratio)),
    newRatio: median(entry.new.map((side) => side.ratio)),
    oldOurs: median(entry.old.map((side) => side.ours)),
    newOurs: median(entry.new.map((side) => side.ours)),
    rounds: Math.min(entry.old.length, entry.new.length),
  }));
  console.log(`| figure | ${oldRev} ratio | HEAD ratio | ${oldRev} ours | HEAD ours | target |`);
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const row of rows) {
    console.log(
      `| ${row.name} | ${format(row.oldRatio)} | ${format(row.newRatio)} | ${format(row.oldOurs)} ${row.unit} | ` +
        `${format(row.newOurs)} ${row.unit} | ${row.target} |`,
    );
  }
  writeFileSync(path.join(dir, 'compare.json'), `${JSON.stringify({ oldRev, rows }, null, 2)}\n`);
}

main();

import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchHostSnapshot } from './host-snapshot.bench.js';
import { type BenchFigure, printTable } from './measure.js';
import { benchNetnsSnapshot } from './netns-snapshot.bench.js';

/** `npm run bench`: every figure against its peer, measured in this run; writes bench/results.json. */
async function main(): Promise<void> {
  const figures: BenchFigure[] = [...(await benchHostSnapshot()), ...(await benchNetnsSnapshot())];
  printTable(figures);
  const out = path.resolve(import.meta.dirname, '..', '..', 'bench', 'results.json');
  writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
  process.stdout.write(`\nwritten ${out}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

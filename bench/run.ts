import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { benchApi } from './api.bench.js';
import { runAllCleanups } from './cleanup.js';
import { benchHostSnapshot } from './host-snapshot.bench.js';
import { type BenchFigure, note, printTable } from './measure.js';
import { benchMemory } from './memory.bench.js';
import { benchMetrics } from './metrics.bench.js';
import { benchNetnsSnapshot } from './netns-snapshot.bench.js';
import { benchPods } from './pods.bench.js';
import { NODE_EXPORTER } from './processes.js';
import { buildSyntheticDatabase, type SyntheticDatabase, storageFigures } from './storage.bench.js';

const SECTIONS = ['host', 'netns', 'metrics', 'memory', 'storage', 'api', 'pods'] as const;
type Section = (typeof SECTIONS)[number];

/**
 * BENCH_ONLY=host,netns,… (or the sections as arguments: `npm run bench -- pods`) selects sections (default: all);
 * BENCH_SKIP=… removes some.
 */
function selectedSections(): Set<Section> {
  const split = (text: string): string[] =>
    text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  const list = (name: string): string[] => split(process.env[name] ?? '');
  const only = [...list('BENCH_ONLY'), ...process.argv.slice(2).flatMap(split)];
  const skip = new Set(list('BENCH_SKIP'));
  for (const s of [...only, ...skip]) {
    if (!SECTIONS.includes(s as Section))
      throw new Error(`unknown bench section "${s}" (known: ${SECTIONS.join(', ')})`);
  }
  return new Set(SECTIONS.filter((s) => (only.length === 0 || only.includes(s)) && !skip.has(s)));
}

function machine(): string {
  const kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  return `Linux ${kernel}, ${cpus().length} CPU (${cpus()[0]?.model ?? '?'}), Node ${process.version}, load average ${load}`;
}

/** Why node_exporter cannot be run here, or null. */
function nodeExporterMissing(): string | null {
  if (existsSync(NODE_EXPORTER)) return null;
  return `${NODE_EXPORTER} missing (apt-get install -y prometheus-node-exporter)`;
}

/** `npm run bench`: every figure against its peer, measured in this run; writes bench/results.json. */
async function main(): Promise<void> {
  const sections = selectedSections();
  const started = Date.now();
  note(`bench on ${machine()}; sections: ${[...sections].join(', ')}`);
  const figures: BenchFigure[] = [];
  const failures: string[] = [];
  let synthetic: SyntheticDatabase | undefined;
  const section = async (name: Section, run: () => Promise<BenchFigure[]>): Promise<void> => {
    if (!sections.has(name)) return;
    const t0 = Date.now();
    try {
      const got = await run();
      figures.push(...got);
      printTable(got);
    } catch (error) {
      failures.push(name);
      process.stderr.write(
        `bench section ${name} failed: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
    }
    note(
      `section ${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s, load average ${loadavg()[0]?.toFixed(2)}`,
    );
  };
  try {
    await section('host', benchHostSnapshot);
    await section('netns', benchNetnsSnapshot);
    const missing = nodeExporterMissing();
    if (missing) {
      for (const s of ['metrics', 'memory'] as const)
        if (sections.has(s)) {
          note(`${s} benchmark skipped: ${missing}`);
          sections.delete(s);
        }
    }
    await section('metrics', benchMetrics);
    await section('memory', benchMemory);
    await section('storage', async () => {
      synthetic = await buildSyntheticDatabase();
      return storageFigures(synthetic);
    });
    await section('api', async () => {
      synthetic ??= await buildSyntheticDatabase();
      return benchApi(synthetic);
    });
    await section('pods', benchPods);
  } finally {
    synthetic?.remove();
    runAllCleanups();
  }
  process.stdout.write('\n');
  printTable(figures);
  note(`whole run ${((Date.now() - started) / 1000).toFixed(0)} s; ${machine()}`);
  const leftovers = leftoverResources();
  if (leftovers) note(`LEFTOVERS after cleanup: ${leftovers}`);
  const out = path.resolve(import.meta.dirname, '..', '..', 'bench', 'results.json');
  if (failures.length > 0 || sections.size < SECTIONS.length) {
    const partial = out.replace(/\.json$/, '.partial.json');
    writeFileSync(partial, `${JSON.stringify(figures, null, 2)}\n`);
    process.stdout.write(
      `\nnot every section ran${failures.length ? ` (failed: ${failures.join(', ')})` : ''}: written ${partial}\n`,
    );
    if (failures.length > 0) process.exitCode = 1;
    return;
  }
  writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
  process.stdout.write(`\nwritten ${out}\n`);
}

/** Netns and containers of this run that survived cleanup (should be none). */
function leftoverResources(): string {
  const found: string[] = [];
  try {
    const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    const ours = netns.split('\n').filter((l) => l.startsWith(`kl-bench`) && l.includes(`-${process.pid}-`));
    if (ours.length) found.push(`${ours.length} netns`);
  } catch {
    // no iproute2
  }
  try {
    const containers = execFileSync('docker', ['ps', '-aq', '--filter', `name=kl-bench-${process.pid}-`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    if (containers.trim()) found.push(`${containers.trim().split('\n').length} containers`);
  } catch {
    // no docker
  }
  return found.join(', ');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  runAllCleanups();
  process.exit(1);
});

import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoPath } from './repo-path.js';

/** One key of test/fixtures/proc-sys.tsv. `value` is null for write-only keys and for keys that failed to read. */
export interface ProcSysFixtureEntry {
  /** Permission bits as a number (0o644). */
  readonly mode: number;
  readonly value: string | null;
  /** errno name (EIO, EACCES) when reading failed at capture time. */
  readonly error?: string;
}

export type ProcSysFixture = ReadonlyMap<string, ProcSysFixtureEntry>;

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', t: '\t', n: '\n' };

function unescapeValue(escaped: string): string {
  return escaped.replace(/\\(.)/g, (whole, code: string) => ESCAPES[code] ?? whole);
}

function parseLine(line: string, lineNumber: number): [string, ProcSysFixtureEntry] {
  const [key, modeText, valueText = '', error = ''] = line.split('\t');
  if (!key || !modeText || !/^[0-7]{3,4}$/.test(modeText)) {
    throw new Error(`proc-sys.tsv line ${lineNumber}: malformed row ${JSON.stringify(line)}`);
  }
  const mode = parseInt(modeText, 8);
  const readable = (mode & 0o444) !== 0 && error === '';
  const entry: ProcSysFixtureEntry = { mode, value: readable ? unescapeValue(valueText) : null };
  return [key, error === '' ? entry : { ...entry, error }];
}

/** The /proc/sys capture of test/fixtures/proc-sys.tsv (see test/fixtures/README.md), values unescaped. */
export function loadProcSysFixture(): Map<string, ProcSysFixtureEntry> {
  const lines = readFileSync(repoPath('test', 'fixtures', 'proc-sys.tsv'), 'utf8').split('\n');
  if (lines[0] !== 'key\tmode\tvalue\terror') throw new Error('proc-sys.tsv: unexpected header');
  const fixture = new Map<string, ProcSysFixtureEntry>();
  lines.forEach((line, index) => {
    if (index === 0 || line === '') return;
    const [key, entry] = parseLine(line, index + 1);
    fixture.set(key, entry);
  });
  return fixture;
}

/** Path segments of a key under <procRoot>/sys: `/` inside a key segment stands for a dot (eth0/100 → eth0.100). */
function keyPathSegments(key: string): string[] {
  const segments = key.split('.').map((segment) => segment.replaceAll('/', '.'));
  if (segments.some((s) => s === '' || s === '.' || s === '..')) throw new Error(`not a sysctl key: ${key}`);
  return segments;
}

/**
 * Writes a fake procfs root under `dir`: one file per key at `<dir>/sys/<a>/<b>/...`, content `value + "\n"`,
 * permission bits as recorded. Write-only keys and keys that failed to read (a regular file cannot answer EIO)
 * become empty files with their recorded mode. `overrides` replaces values, or adds keys with mode 0644.
 * Directories stay 0755 so the tree can be removed. Returns `dir`, to be used as the procfs root.
 */
export function materializeProcRoot(
  dir: string,
  fixture: ProcSysFixture,
  overrides: Readonly<Record<string, string>> = {},
): string {
  const entries = new Map<string, ProcSysFixtureEntry>(fixture);
  for (const [key, value] of Object.entries(overrides)) {
    entries.set(key, { mode: entries.get(key)?.mode ?? 0o644, value });
  }
  for (const [key, entry] of entries) {
    const file = path.join(dir, 'sys', ...keyPathSegments(key));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, entry.value === null ? '' : `${entry.value}\n`);
    chmodSync(file, entry.mode);
  }
  return dir;
}

import { keyFromSegments } from './sysctl-key.js';
import type { SysctlReading } from './sysctl-types.js';

/**
 * Output of the namespace dumper (src/os/namespace-sysctl.reader.ts), run with LC_ALL=C:
 *
 *   find <start>… -type f -printf '%m %p\0' -perm /444 -exec grep -aHZz '' {} +
 *
 * stdout is a stream of NUL-terminated records of two kinds, interleaved in batches (find flushes its
 * output before each grep batch):
 * - `<octal mode> <path>`: one per file, written by find before the file is read;
 * - `<path>` followed by `<content>`: written by grep for each file with a read bit. `-z` makes NUL the record
 *   separator, so multi-line values arrive whole with their newlines; a value containing NUL bytes would arrive
 *   as several `<path>`,`<content>` pairs, which are joined back with NUL.
 * An empty file gives a mode record and nothing else. A file grep cannot read gives `grep: <path>: <strerror>`
 * on stderr (EIO for an unset `stable_secret`); ENOENT there means the file vanished after find listed it
 * (an interface went away), so the key is dropped. Write-only files are never opened.
 */
export interface SysctlDump {
  /** `<procRoot>/sys` exactly as it prefixes the paths in the dump (no trailing slash). */
  readonly sysRoot: string;
  readonly stdout: string;
  readonly stderr: string;
}

const MODE_RECORD = /^([0-7]+) (\/.*)$/s;
const READ_BITS = 0o444;

/** C-locale strerror texts → errno names, for the errors grep can meet on /proc/sys. */
const ERRNO_BY_MESSAGE: ReadonlyMap<string, string> = new Map([
  ['Input/output error', 'EIO'],
  ['Permission denied', 'EACCES'],
  ['No such file or directory', 'ENOENT'],
  ['Operation not permitted', 'EPERM'],
  ['Invalid argument', 'EINVAL'],
  ['No such device', 'ENODEV'],
  ['Operation not supported', 'EOPNOTSUPP'],
  ['Cannot allocate memory', 'ENOMEM'],
  ['Device or resource busy', 'EBUSY'],
  ['Bad address', 'EFAULT'],
]);

interface FileRecord {
  mode: number;
  content: string | null;
}

function parseRecords(stdout: string): Map<string, FileRecord> {
  const records = stdout.split('\0');
  if (records.pop() !== '')
    throw new Error('sysctl dump is truncated: the last record has no NUL terminator');
  const files = new Map<string, FileRecord>();
  for (let i = 0; i < records.length; i++) {
    const record = records[i] ?? '';
    if (record.startsWith('/')) {
      if (i + 1 >= records.length) throw new Error(`sysctl dump is truncated after ${record}`);
      const content = records[++i] ?? '';
      const file = files.get(record);
      if (!file) throw new Error(`sysctl dump has content for ${record} before its mode record`);
      file.content = file.content === null ? content : `${file.content}\0${content}`;
      continue;
    }
    const match = MODE_RECORD.exec(record);
    if (!match?.[1] || !match[2])
      throw new Error(`sysctl dump has a malformed record ${JSON.stringify(record)}`);
    if (!files.has(match[2])) files.set(match[2], { mode: parseInt(match[1], 8), content: null });
  }
  return files;
}

/** `grep: /proc/sys/net/ipv6/conf/lo/stable_secret: Input/output error` → path → errno name. */
function parseReadErrors(stderr: string): Map<string, string> {
  const errors = new Map<string, string>();
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('grep: /')) continue;
    const split = line.lastIndexOf(': ');
    if (split <= 'grep: '.length) continue;
    const message = line.slice(split + 2);
    errors.set(line.slice('grep: '.length, split), ERRNO_BY_MESSAGE.get(message) ?? 'EUNKNOWN');
  }
  return errors;
}

function keyOf(sysRoot: string, file: string): string {
  if (!file.startsWith(`${sysRoot}/`)) throw new Error(`sysctl dump lists ${file}, outside ${sysRoot}`);
  return keyFromSegments(file.slice(sysRoot.length + 1).split('/'));
}

/**
 * Turns a dump into readings with the walker's semantics (src/os/sysctl-tree.reader.ts): values trimmed,
 * write-only files listed with a null value, unreadable files with their errno, empty files as ''.
 * Throws on output that is not a complete dump.
 */
export function parseSysctlDump(dump: SysctlDump): SysctlReading[] {
  const files = parseRecords(dump.stdout);
  const errors = parseReadErrors(dump.stderr);
  const readings: SysctlReading[] = [];
  for (const [file, { mode, content }] of files) {
    const key = keyOf(dump.sysRoot, file);
    const error = errors.get(file);
    if ((mode & READ_BITS) === 0) readings.push({ key, access: 'write-only', value: null });
    else if (error === 'ENOENT') continue;
    else if (error !== undefined) readings.push({ key, access: 'unreadable', value: null, error });
    else readings.push({ key, access: 'readable', value: (content ?? '').trim() });
  }
  return readings;
}

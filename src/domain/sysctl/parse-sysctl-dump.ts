import { createHash } from 'node:crypto';
import { keyFromSegments } from './sysctl-key.js';
import type { SysctlReading } from './sysctl-types.js';

/**
 * Output of the namespace dumper (src/os/namespace-sysctl.reader.ts), run with LC_ALL=C:
 *
 *   grep -raHZz '' <start>…
 *
 * stdout is a stream of NUL-terminated records in pairs, `<path>` then `<content>`, one pair for each file grep
 * could read. `-z` makes NUL the record separator, so multi-line values arrive whole with their newlines; a value
 * containing NUL bytes would arrive as several pairs with the same path, which are joined back with NUL.
 * A file grep cannot read gives `grep: <path>: <strerror>` on stderr: EIO for an unset `stable_secret`, EACCES
 * for a write-only file (root reads by the owner bits, and those have no read bit) and for a file the agent's
 * user may not read, ENOENT for a file that vanished during the walk (an interface went away; dropped).
 *
 * What grep does not tell: the mode of a file it could not open, and whether a file it read was empty (zero
 * bytes give zero records, so no pair). The caller answers the first through `modeOf`; the second is a known
 * limit: an empty file reads as absent. On 6.18 no file a net, ipc or uts namespace owns is empty (an empty
 * domainname is a lone newline), which the reader's system test checks against the in-process walker.
 */
export interface SysctlDump {
  /** `<procRoot>/sys` exactly as it prefixes the paths in the dump (no trailing slash). */
  readonly sysRoot: string;
  readonly stdout: string;
  readonly stderr: string;
  /**
   * The permission bits of a file grep was denied (EACCES), or null when unknown. A file without read bits is
   * write-only; any other denial is an unreadable file.
   */
  readonly modeOf?: (file: string) => number | null;
  /**
   * A directory outside `sysRoot` whose files the same grep read too (`<procRoot>/sysvipc`): their records are
   * returned aside, by path, and their read errors are not sysctl errors (a kernel without SysV IPC has none).
   */
  readonly asideRoot?: string;
}

/** A dump's readings, and the contents of the files read under `asideRoot`, by path. */
export interface SysctlDumpParts {
  readonly readings: SysctlReading[];
  /** The file of each reading, index for index. */
  readonly files: string[];
  readonly aside: Map<string, string>;
}

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

/** The `<path>`, `<content>` record pairs of a `grep -aHZz` dump, by path (repeated paths joined with NUL). */
export function parseRecords(stdout: string): Map<string, string> {
  const records = stdout.split('\0');
  if (records.pop() !== '')
    throw new Error('sysctl dump is truncated: the last record has no NUL terminator');
  if (records.length % 2 !== 0) throw new Error(`sysctl dump is truncated after ${records.at(-1)}`);
  const files = new Map<string, string>();
  for (let i = 0; i < records.length; i += 2) {
    const file = records[i] ?? '';
    const content = records[i + 1] ?? '';
    if (!file.startsWith('/')) throw new Error(`sysctl dump has a malformed record ${JSON.stringify(file)}`);
    const earlier = files.get(file);
    files.set(file, earlier === undefined ? content : `${earlier}\0${content}`);
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

function deniedReading(key: string, file: string, modeOf: SysctlDump['modeOf']): SysctlReading {
  const mode = modeOf?.(file) ?? null;
  if (mode !== null && (mode & READ_BITS) === 0) return { key, access: 'write-only', value: null };
  return { key, access: 'unreadable', value: null, error: 'EACCES' };
}

/**
 * Turns a dump into readings with the walker's semantics (src/os/sysctl-tree.reader.ts): values trimmed,
 * write-only files listed with a null value, unreadable files with their errno (an error after part of a file
 * was read wins over the part). Files read come first in dump order, then the ones that failed. Throws on
 * output that is not a complete dump.
 */
export function parseSysctlDump(dump: SysctlDump): SysctlReading[] {
  return parseSysctlDumpParts(dump).readings;
}

/** parseSysctlDump, with the files read under `asideRoot` kept apart. */
export function parseSysctlDumpParts(dump: SysctlDump): SysctlDumpParts {
  const byFile = new Map<string, SysctlReading>();
  const aside = new Map<string, string>();
  const asidePrefix = dump.asideRoot === undefined ? null : `${dump.asideRoot}/`;
  for (const [file, content] of parseRecords(dump.stdout)) {
    if (asidePrefix !== null && file.startsWith(asidePrefix)) aside.set(file, content);
    else byFile.set(file, { key: keyOf(dump.sysRoot, file), access: 'readable', value: content.trim() });
  }
  for (const [file, error] of parseReadErrors(dump.stderr)) {
    if (asidePrefix !== null && file.startsWith(asidePrefix)) continue;
    byFile.delete(file);
    if (error === 'ENOENT') continue;
    const key = keyOf(dump.sysRoot, file);
    if (error === 'EACCES') byFile.set(file, deniedReading(key, file, dump.modeOf));
    else byFile.set(file, { key, access: 'unreadable', value: null, error });
  }
  return { readings: [...byFile.values()], files: [...byFile.keys()], aside };
}

/** A dump with the contents of some files set apart: its digest without them, and those contents. */
export interface DumpDigest {
  /** SHA-256 (base64) of `head` and the dump with the set-apart contents cut out. */
  readonly digest: string;
  /** The cut-out contents, by path. */
  readonly contents: Map<string, string>;
}

/**
 * Digests a `grep -aHZz` dump record by record, leaving out the contents of the files in `apart` (the counters
 * of a set, which move between reads while nothing else does: `kernel.ns_last_pid` counts the reader's own
 * processes in the set's pid namespace). The records stay in place, with an empty content, so two dumps have
 * the same digest exactly when they differ in nothing but those contents. Null for a dump that is not a whole
 * sequence of pairs or lists a set-apart file twice (a value with NUL bytes): such a dump is parsed every time.
 */
export function digestDump(head: string, stdout: Uint8Array, apart: ReadonlySet<string>): DumpDigest | null {
  const hash = createHash('sha256').update(head);
  const contents = new Map<string, string>();
  const lengths = new Set([...apart].map((file) => Buffer.byteLength(file)));
  const bytes = Buffer.from(stdout.buffer, stdout.byteOffset, stdout.byteLength);
  let from = 0;
  for (let at = 0; at < bytes.length;) {
    const pathEnd = bytes.indexOf(0, at);
    const contentEnd = pathEnd < 0 ? -1 : bytes.indexOf(0, pathEnd + 1);
    if (contentEnd < 0) return null;
    if (lengths.has(pathEnd - at)) {
      const file = bytes.toString('utf8', at, pathEnd);
      if (apart.has(file)) {
        if (contents.has(file)) return null;
        contents.set(file, bytes.toString('utf8', pathEnd + 1, contentEnd));
        hash.update(bytes.subarray(from, pathEnd + 1));
        from = contentEnd;
      }
    }
    at = contentEnd + 1;
  }
  hash.update(bytes.subarray(from));
  return { digest: hash.digest('base64'), contents };
}

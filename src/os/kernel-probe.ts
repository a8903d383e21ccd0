import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathsOwnedBy } from '../domain/classification/namespace-owned-paths.js';
import type { ProbeListing } from '../domain/classification/reconcile-classification.js';
import { concealedValue, isSecretKey } from '../domain/sysctl/secret-keys.js';
import { keyFromSegments } from '../domain/sysctl/sysctl-key.js';
import { splitChildListing } from '../domain/namespaces/split-child-listing.js';

/** Modes of every file under <procRoot>/sys on the host and in a fresh `unshare --net --ipc --uts` child. */
export interface KernelProbe extends ProbeListing {
  readonly hostModes: Map<string, number>;
  readonly childModes: Map<string, number>;
  /** Values of the readable net/ipc/uts keys in that fresh child: what a new namespace starts with. */
  readonly childValues: Map<string, string>;
  readonly durationMs: number;
}

export type KernelProbeFailure = 'no-unshare' | 'not-permitted' | 'timeout' | 'failed';

/** Why the probe could not run; the caller falls back to the built-in table. */
export class KernelProbeError extends Error {
  constructor(
    readonly reason: KernelProbeFailure,
    message: string,
  ) {
    super(message);
    this.name = 'KernelProbeError';
  }
}

/** NUL-separated `<mode> <path>` records: sysctl paths never contain NUL (nor, in practice, newlines). */
const FIND_FORMAT = '%m %P\\0';
const VALUES_MARKER = '=values';
const MAX_LISTING_BYTES = 64 * 1024 * 1024;
/** `find` exits 1 when a device's directory vanishes mid-walk; those files are simply not listed. */
const VANISHED = /No such file or directory/;

/** Parses `find -printf '%m %P<sep>'` output (paths relative to <procRoot>/sys) into key → mode. */
export function parseModeListing(text: string, separator = '\0'): Map<string, number> {
  const modes = new Map<string, number>();
  for (const record of text.split(separator)) {
    if (record === '') continue;
    const space = record.indexOf(' ');
    const modeText = record.slice(0, space);
    const relative = record.slice(space + 1);
    if (space <= 0 || !/^[0-7]{1,4}$/.test(modeText) || relative === '') {
      throw new Error(`unexpected find output record ${JSON.stringify(record)}`);
    }
    modes.set(keyFromSegments(relative.split('/')), parseInt(modeText, 8));
  }
  return modes;
}

interface ExecFailure {
  readonly code?: unknown;
  readonly killed?: boolean;
  readonly signal?: unknown;
}

function failure(
  label: string,
  error: Error & ExecFailure,
  stderr: string,
  timeoutMs: number,
): KernelProbeError {
  const detail = stderr.trim() || error.message;
  if (error.code === 'ENOENT') {
    const reason = label.startsWith('unshare') ? 'no-unshare' : 'failed';
    return new KernelProbeError(reason, `${label}: binary not found (${detail})`);
  }
  if (error.killed === true || error.signal === 'SIGKILL') {
    return new KernelProbeError('timeout', `${label}: no answer within ${timeoutMs} ms`);
  }
  if (/Operation not permitted|EPERM|Permission denied/.test(detail)) {
    return new KernelProbeError('not-permitted', `${label}: needs root (CAP_SYS_ADMIN): ${detail}`);
  }
  return new KernelProbeError('failed', `${label}: ${detail}`);
}

function listModes(label: string, argv: readonly string[], timeoutMs: number): Promise<Map<string, number>> {
  return runListing(label, argv, timeoutMs, (stdout) => parseModeListing(stdout));
}

function runListing<T>(
  label: string,
  argv: readonly string[],
  timeoutMs: number,
  parse: (stdout: string) => T,
): Promise<T> {
  const [file = '', ...args] = argv;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile(
      file,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_LISTING_BYTES, encoding: 'utf8' },
      (error, stdout, stderr) => {
        // On a loaded host execFile's timer can fire after the process has exited but before its output was
        // read: it then cuts stdout short and reports no error. Past the deadline, no listing is trusted.
        if (performance.now() - started >= timeoutMs && error?.code !== 'ENOENT') {
          reject(new KernelProbeError('timeout', `${label}: no answer within ${timeoutMs} ms`));
          return;
        }
        const onlyVanished = stderr.split('\n').every((line) => line === '' || VANISHED.test(line));
        if (error && !(error.code === 1 && stdout !== '' && onlyVanished)) {
          reject(failure(label, error, stderr, timeoutMs));
          return;
        }
        try {
          resolve(parse(stdout));
        } catch (parseError) {
          reject(new KernelProbeError('failed', `${label}: ${(parseError as Error).message}`));
        }
      },
    );
  });
}

/**
 * The child's one pass: `find` lists every mode (as on the host), then a marker record, then `grep` prints the
 * value of every readable key the child's net/ipc/uts namespaces own (the namespace dumper's format,
 * src/domain/sysctl/parse-sysctl-dump.ts). grep's complaints (EIO of an unset stable_secret, EACCES of a
 * write-only file) are dropped: those keys simply have no default value; the exit status is find's.
 * Cost, measured on this 2-vCPU VM (6.18.44, mean of 20 runs, load average 16 from parallel work): the child
 * listing alone 19-22 ms, with the values 49-52 ms, i.e. about +30 ms once at start for 599 values.
 */
function childListingCommand(sysRoot: string): string[] {
  const owned = pathsOwnedBy(['net', 'ipc', 'uts']);
  const starts = [...owned.subtrees, ...owned.files].map((relative) => `${sysRoot}/${relative}`);
  const script = `find "$0" -type f -printf '${FIND_FORMAT}'; s=$?; printf '%s\\0' '${VALUES_MARKER}'; grep -raHZz '' -- "$@" 2>/dev/null; exit $s`;
  return ['sh', '-c', script, sysRoot, ...starts];
}

/**
 * Read-only probe of the running kernel: lists <procRoot>/sys with its modes on the host and in a fresh
 * net+ipc+uts namespace. Nothing is written. `unshare` without `--fork` execs `find` itself, so the namespaces
 * die with that one process; a timeout SIGKILLs it. Rejects with a KernelProbeError when the probe is impossible
 * (no unshare binary, not permitted, timeout); the caller then keeps the built-in table.
 */
export async function probeKernel(procRoot: string, timeoutMs: number): Promise<KernelProbe> {
  const started = performance.now();
  const sysRoot = path.join(procRoot, 'sys');
  const find = ['find', sysRoot, '-type', 'f', '-printf', FIND_FORMAT];
  let kernelRelease: string;
  try {
    kernelRelease = (await readFile(path.join(sysRoot, 'kernel', 'osrelease'), 'utf8')).trim();
  } catch (error) {
    throw new KernelProbeError('failed', `cannot read kernel release: ${(error as Error).message}`);
  }
  // allSettled: never reject while the other process still runs, so a rejection leaves no process behind.
  const [host, child] = await Promise.allSettled([
    listModes('host listing (find)', find, timeoutMs),
    runListing(
      'unshare --net --ipc --uts (child listing)',
      ['unshare', '--net', '--ipc', '--uts', '--', ...childListingCommand(sysRoot)],
      timeoutMs,
      (stdout) => splitChildListing(stdout, sysRoot, parseModeListing),
    ),
  ]);
  if (child.status === 'rejected') throw child.reason;
  if (host.status === 'rejected') throw host.reason;
  const hostModes = host.value;
  const { modes: childModes, values: childValues } = child.value;
  if (hostModes.size === 0 || childModes.size === 0) {
    throw new KernelProbeError(
      'failed',
      `empty listing of ${sysRoot} (host ${hostModes.size}, child ${childModes.size})`,
    );
  }
  for (const [key, value] of childValues)
    if (isSecretKey(key)) childValues.set(key, concealedValue(key, value) ?? '');
  return { kernelRelease, hostModes, childModes, childValues, durationMs: performance.now() - started };
}

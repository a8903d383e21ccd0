import { type ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import {
  ENTERABLE_NAMESPACE_TYPES,
  type EnterableNamespaceType,
  pathsOwnedBy,
} from '../domain/classification/namespace-owned-paths.js';
import { isVolatileKey } from '../domain/classification/volatile-keys.js';
import { digestDump, parseSysctlDumpParts } from '../domain/sysctl/parse-sysctl-dump.js';
import type { SysctlReading } from '../domain/sysctl/sysctl-types.js';

export interface NamespaceSysctlRequest {
  /** The procfs root the agent reads the host from (`/proc`, `/host/proc`). */
  readonly procRoot: string;
  /** Namespace files to enter (`/proc/1234/ns/net`, `/run/netns/NAME`), one for each entry of `types`. */
  readonly enter: Partial<Readonly<Record<EnterableNamespaceType, string>>>;
  /** The namespace types that differ from the host's; only the keys they own are read. */
  readonly types: readonly EnterableNamespaceType[];
  readonly timeoutMs: number;
  /**
   * Also read `<procRoot>/sysvipc/{shm,msg,sem}` in the same helper (needs 'ipc' in `types`): like /proc/sys,
   * they list the objects of the READER's IPC namespace, so the set's IPC objects come with its keys.
   */
  readonly sysvipc?: boolean;
  /**
   * The result of the last read of the same set: when this read's output is the same but for the values of
   * counters (volatile keys), that result comes back with only those values replaced (the same readings array
   * when they did not move either), not re-parsed: an idle set allocates next to nothing.
   */
  readonly previous?: NamespaceSysctlResult;
}

export interface NamespaceSysctlResult {
  readonly readings: SysctlReading[];
  /**
   * When asked for: the readable /proc/sysvipc files concatenated in order shm, msg, sem (parse-sysvipc.ts
   * counts each under its header); null when none could be read.
   */
  readonly sysvipc: string | null;
  readonly method: 'nsenter';
  readonly durationMs: number;
  /**
   * SHA-256 of everything the readings were made of (roots, exit code, stderr, stdout) but the values of the
   * counters in `counters`; null when the dump cannot be compared that way (it is parsed every time).
   */
  readonly digest: string | null;
  /** The file of each readable counter (volatile key), with its index in `readings`. */
  readonly counters: ReadonlyMap<string, number>;
}

/*
 * The dumper. /proc/sys is resolved against the reading task's namespaces (KERNEL.md §8), so the helper enters
 * only net/ipc/uts, never the mount namespace: `<procRoot>/sys` and the binaries are the agent's own, and nothing
 * of the target's filesystem is used (distroless images work). nsenter execs grep, which walks the owned paths
 * and prints every value in one pass: two execs (three when a pid namespace is entered: nsenter forks). What grep cannot say (the mode of a file it was denied) is
 * asked of the same path in the agent's own namespaces, where a sysctl file has the same mode; format and
 * limits: src/domain/sysctl/parse-sysctl-dump.ts.
 *
 * Measured on this 2-vCPU VM (kernel 6.18.44), target a fresh `ip netns add` netns with lo only (584 files under
 * net/); bash loop of 50 calls each, mean wall time per call, load average below 1:
 *   nsenter --net=… true                        (floor: fork, setns, exec)                7.3 ms
 *   nsenter … grep -raHZz '' net                                                          17.9     chosen
 *   nsenter … find … -printf '%m %p\0' -perm /444 -exec grep -aHZz '' {} +  (modes, 3 execs)  27.3     before
 *   one perl process, setns(2) into each netns in turn, readdir/lstat/read walk       ~14 per netns (10)
 *   ip netns exec NS sysctl -a                  (the peer: all of /proc/sys, lossy)       33.2
 *   sysctl -a on the host                                                                 48.5
 * The perl variant saves the exec but not the kernel's per-file cost, which dominates; not worth a per-arch
 * syscall number. Against the in-process walker on the host's own namespaces the readings are identical
 * (system test).
 *
 * Re-measured 2026-12-04 (quiet machine, fresh netns with lo up, 581 files under net/), and what a 110-pod node
 * costs per set (bench `pods`, CPU time from /proc/PID/stat; figures in README "A full Kubernetes node"):
 *   nsenter --net=… true                        2.0 ms wall; from Node: 0.8 ms of the agent's CPU + 2.0 of the child's
 *   nsenter … grep -raHZz '' net                6.2 ms wall (user 1.2, sys 4.8)
 *   the same grep 5× inside one nsenter         4.4 ms each, nearly all sys: the kernel's per-file cost
 *                                               (open, format, close, getdents, stat; ~7 µs a file), not the exec
 *   forking from a 210 MiB Node instead of 54   +0.1 ms of the agent's CPU per spawn: not worth a spawner process
 * So one full read of a pod's trees is ~1 % of a core at 60 s by itself (110 pods). The SysV IPC objects of a set
 * with its own IPC namespace come in the same grep (`sysvipc`), not a second `nsenter … cat` (~3 ms a set). An
 * output byte-identical to the set's last one (`previous`, by SHA-256) is not parsed again.
 */
const DUMP_ARGS: readonly string[] = ['grep', '-raHZz', ''];

/** A fixed environment: host binaries from the standard directories, C-locale error messages. */
const HELPER_ENV: Readonly<Record<string, string>> = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' };
const MAX_STDOUT_BYTES = 16 * 1024 * 1024;
const MAX_STDERR_BYTES = 256 * 1024;

function checkedPath(what: string, value: string | undefined): string {
  if (typeof value !== 'string' || !path.isAbsolute(value) || value.includes('\0')) {
    throw new Error(`namespace sysctl read: ${what} must be an absolute path, got ${JSON.stringify(value)}`);
  }
  return path.normalize(value);
}

const SYSVIPC_FILES = ['shm', 'msg', 'sem'] as const;

interface HelperCommand {
  readonly args: string[];
  readonly sysRoot: string;
  /** `<procRoot>/sysvipc` when its files are read too, else null. */
  readonly sysvipcRoot: string | null;
  readonly target: string;
}

function nsenterArgs(request: NamespaceSysctlRequest): HelperCommand {
  const types = ENTERABLE_NAMESPACE_TYPES.filter((type) => request.types.includes(type));
  if (types.length === 0) throw new Error('namespace sysctl read: no namespace type to enter');
  for (const type of ENTERABLE_NAMESPACE_TYPES) {
    if (request.enter[type] !== undefined && !types.includes(type)) {
      throw new Error(`namespace sysctl read: enter.${type} given but '${type}' is not in types`);
    }
  }
  const entered = types.map((type) => `--${type}=${checkedPath(`enter.${type}`, request.enter[type])}`);
  const procRoot = checkedPath('procRoot', request.procRoot);
  const sysRoot = path.join(procRoot, 'sys');
  const owned = pathsOwnedBy(types);
  const starts = [...owned.subtrees, ...owned.files].map((relative) => `${sysRoot}/${relative}`);
  if (request.sysvipc === true && !types.includes('ipc')) {
    throw new Error("namespace sysctl read: sysvipc asked for but 'ipc' is not in types");
  }
  const sysvipcRoot = request.sysvipc === true ? path.join(procRoot, 'sysvipc') : null;
  const ipcFiles = sysvipcRoot === null ? [] : SYSVIPC_FILES.map((name) => `${sysvipcRoot}/${name}`);
  return {
    args: [...entered, '--', ...DUMP_ARGS, '--', ...starts, ...ipcFiles],
    sysRoot,
    sysvipcRoot,
    target: entered.join(' '),
  };
}

interface HelperOutput {
  readonly code: number | null;
  /** Kept as bytes: an unchanged dump is recognised by its digest without becoming a string. */
  readonly stdout: Buffer;
  readonly stderr: string;
}

/**
 * Runs nsenter in its own process group so a timeout can kill grep with it. Never throws and never leaves an
 * 'error' unheard: when the process cannot start (EMFILE/ENFILE when file descriptors run out, EAGAIN, ENOENT)
 * Node emits 'error' on the next tick and gives the child no stdio streams, so the listener is attached before
 * anything else and the streams are used only when they exist. The promise then rejects with the cause, which
 * the collector runner records as this target's error.
 */
function runHelper(args: string[], timeoutMs: number): Promise<HelperOutput> {
  return new Promise((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrBytes = 0;
    let settled = false;
    const started: { pid?: number; timer?: NodeJS.Timeout } = {};
    const finish = (error: Error | null, output?: HelperOutput): void => {
      if (settled) return;
      settled = true;
      clearTimeout(started.timer);
      if (error) {
        killGroup(started.pid);
        reject(error);
      } else if (output) resolve(output);
    };
    let child: ChildProcess;
    try {
      child = spawn('nsenter', args, { env: HELPER_ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    } catch (error) {
      finish(spawnFailure(error as Error));
      return;
    }
    child.on('error', (error) => finish(spawnFailure(error)));
    started.pid = child.pid;
    if (!child.stdout || !child.stderr) return; // not started: 'error' follows on the next tick
    started.timer = setTimeout(
      () => finish(new Error(`namespace sysctl dump timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.stdout.on('error', (error) => finish(new Error(`reading the nsenter output: ${error.message}`)));
    child.stderr.on('error', () => undefined); // stderr only explains; a broken stderr leaves stdout and exit
    child.stdout.on('data', (chunk: Buffer) => {
      if (settled) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > MAX_STDOUT_BYTES) {
        finish(new Error(`namespace sysctl dump exceeded ${MAX_STDOUT_BYTES} bytes of output`));
      } else stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderrBytes < MAX_STDERR_BYTES) stderr.push(chunk);
      stderrBytes += chunk.length;
    });
    child.on('close', (code, signal) => {
      if (signal !== null) finish(new Error(`namespace sysctl dump helper was killed by ${signal}`));
      else {
        finish(null, { code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') });
      }
    });
  });
}

function spawnFailure(error: NodeJS.ErrnoException): Error {
  const cause =
    error.code === 'EMFILE' || error.code === 'ENFILE'
      ? ' (out of file descriptors: the nofile limit of the agent or fs.file-max of the host)'
      : '';
  return new Error(`cannot run nsenter: ${error.message}${cause}`);
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** The permission bits of a sysctl file as the agent's own namespaces show it; null when it has none there. */
function ownMode(file: string): number | null {
  try {
    return statSync(file).mode & 0o7777;
  } catch {
    return null;
  }
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? '(no message)'
  );
}

function enterFailure(target: string, stderr: string): Error | null {
  const line = stderr.split('\n').find((l) => l.startsWith('nsenter: '));
  if (line === undefined) return null;
  const vanished = /cannot open .*: No such file or directory/.test(line)
    ? 'the target namespace vanished (its process exited or the netns was deleted)'
    : 'nsenter failed';
  return new Error(`namespace sysctl read of ${target}: ${vanished}: ${line.trim()}`);
}

/**
 * The previous result with the counters' new values (trimmed, as parsing does): the same readings array when
 * none moved, else a copy with new readings for those that did.
 */
function withCounters(
  previous: NamespaceSysctlResult,
  contents: ReadonlyMap<string, string>,
): NamespaceSysctlResult {
  let readings = previous.readings;
  for (const [file, index] of previous.counters) {
    const before = readings[index];
    const value = contents.get(file)?.trim();
    if (before === undefined || value === undefined || before.value === value) continue;
    if (readings === previous.readings) readings = [...readings];
    readings[index] = { key: before.key, access: 'readable', value };
  }
  return readings === previous.readings ? previous : { ...previous, readings };
}

/** The sysvipc files read, concatenated as `cat shm msg sem` prints them; null when none was (or none asked). */
function sysvipcText(root: string | null, aside: ReadonlyMap<string, string>): string | null {
  if (root === null) return null;
  const texts = SYSVIPC_FILES.map((name) => aside.get(`${root}/${name}`)).filter((t) => t !== undefined);
  return texts.length === 0 ? null : texts.join('\n');
}

/**
 * Reads the sysctls owned by the given namespace types of another namespace set, from the host, with one
 * short-lived `nsenter … grep -r` helper. Never writes to /proc/sys. Rejects on timeout, when the
 * namespaces cannot be entered, and when the helper produced no dump.
 */
export async function readNamespaceSysctls(request: NamespaceSysctlRequest): Promise<NamespaceSysctlResult> {
  const started = performance.now();
  const { args, sysRoot, sysvipcRoot, target } = nsenterArgs(request);
  if (!Number.isFinite(request.timeoutMs) || request.timeoutMs <= 0) {
    throw new Error(`namespace sysctl read: timeoutMs must be positive, got ${request.timeoutMs}`);
  }
  const output = await runHelper(args, request.timeoutMs);
  const failure = enterFailure(target, output.stderr);
  if (failure) throw failure;
  const head = `${sysRoot}\0${sysvipcRoot ?? ''}\0${output.code}\0${output.stderr}\0`;
  const durationMs = (): number => Math.round((performance.now() - started) * 10) / 10;
  const previous = request.previous;
  if (previous?.digest) {
    const now = digestDump(head, output.stdout, new Set(previous.counters.keys()));
    if (now?.digest === previous.digest)
      return { ...withCounters(previous, now.contents), durationMs: durationMs() };
  }
  const { readings, files, aside } = parseSysctlDumpParts({
    sysRoot,
    stdout: output.stdout.toString('utf8'),
    stderr: output.stderr,
    modeOf: ownMode,
    ...(sysvipcRoot === null ? {} : { asideRoot: sysvipcRoot }),
  });
  if (readings.length === 0 && output.code !== 0) {
    throw new Error(
      `namespace sysctl read of ${target}: the dump failed (exit ${output.code}): ${firstLine(output.stderr)}`,
    );
  }
  const counters = new Map<string, number>();
  readings.forEach((reading, index) => {
    const file = files[index];
    if (file !== undefined && reading.access === 'readable' && isVolatileKey(reading.key))
      counters.set(file, index);
  });
  return {
    readings,
    sysvipc: sysvipcText(sysvipcRoot, aside),
    method: 'nsenter',
    durationMs: durationMs(),
    digest: digestDump(head, output.stdout, new Set(counters.keys()))?.digest ?? null,
    counters,
  };
}

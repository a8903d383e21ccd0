import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { SuiteContext, TestContext } from 'node:test';
import { promisify } from 'node:util';
import { REQUIRED } from './privileges.js';
import { repoPath } from './repo-path.js';
import { runTestContainer, type TestContainer } from './run-test-container.js';

export type { TestContainer } from './run-test-container.js';

const execFileAsync = promisify(execFile);

export const TEST_IMAGE = 'kernel-ledger-test/busybox:latest';
/** Every container a test starts is named `kl-test-<pid of the test process>-…`, so leftovers can be found. */
export const TEST_PREFIX = 'kl-test-';
const BUILD_SCRIPT = repoPath('.ci', 'build-test-image.sh');

export interface RunContainerOptions {
  /** Replaces the default command `sleep 3600`. */
  readonly command?: readonly string[];
  /** A word put in the name, to recognise the container in `docker ps`. */
  readonly label?: string;
  /** A chosen name (unique to the test, e.g. from uniqueTestName) instead of a fresh one from `label`. */
  readonly name?: string;
  readonly image?: string;
  /** Registers the name before `docker run`, so even a container whose start failed is removed. */
  readonly scope?: DockerScope;
}

export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command from an argument array (no shell); the error names the command and carries its output. */
export async function runCommand(
  file: string,
  args: readonly string[],
  timeoutMs = 30_000,
): Promise<CommandOutput> {
  try {
    return await execFileAsync(file, [...args], { timeout: timeoutMs, maxBuffer: 16 << 20 });
  } catch (error) {
    const {
      stdout = '',
      stderr = '',
      message,
    } = error as { stdout?: string; stderr?: string; message: string };
    const output = `${stdout}${stderr}`.trim() || message;
    throw new Error(`${file} ${args.join(' ')} failed: ${output}`, { cause: error });
  }
}

/** The docker CLI; resolves with its stdout. */
export async function docker(args: readonly string[], timeoutMs = 60_000): Promise<string> {
  return (await runCommand('docker', args, timeoutMs)).stdout;
}

let counter = 0;
/** A fresh `kl-test-<pid>-<label>-<n>-<random>` name, valid for containers and network namespaces. */
export function uniqueTestName(label = 'x'): string {
  counter += 1;
  const safe = label.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 20);
  return `${TEST_PREFIX}${process.pid}-${safe}-${counter}-${randomBytes(3).toString('hex')}`;
}

/** True when the name is a test resource whose creating process is gone (or whose owner cannot be told). */
export function isStaleTestName(name: string): boolean {
  if (!name.startsWith(TEST_PREFIX)) return false;
  const owner = /^kl-test-(\d+)-/.exec(name)?.[1];
  if (owner === undefined) return true;
  const pid = Number(owner);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false; // another test process, running in parallel, still owns it
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * True when a Docker engine answers. Otherwise skips the test with a printed reason, or throws when
 * REQUIRE_DOCKER=1 (CI), exactly like needsRoot. Also callable from a hook, whose context may be a suite's.
 */
export async function dockerAvailable(t: TestContext | SuiteContext): Promise<boolean> {
  let reason: string;
  try {
    const version = (await docker(['info', '--format', '{{.ServerVersion}}'], 15_000)).trim();
    if (version !== '') return true;
    reason = 'docker info reported no server version';
  } catch (error) {
    reason = (error as Error).message.split('\n')[0] ?? 'docker info failed';
  }
  reason = `needs a running Docker engine (${reason})`;
  if (REQUIRED) throw new Error(`REQUIRE_DOCKER=1 but ${reason}`);
  process.stdout.write(`# skipped: ${reason}\n`);
  if ('skip' in t) t.skip(reason); // a suite context (before hooks) cannot skip: its tests must check the result
  return false;
}

async function imageExists(image: string): Promise<boolean> {
  try {
    await docker(['image', 'inspect', '--format', '{{.Id}}', image], 15_000);
    return true;
  } catch {
    return false;
  }
}

let ensured: Promise<string> | undefined;
/** Builds the test image with .ci/build-test-image.sh when missing (once per process); returns its name. */
export function ensureTestImage(): Promise<string> {
  ensured ??= (async () => {
    if (await imageExists(TEST_IMAGE)) return TEST_IMAGE;
    const { stdout, stderr } = await runCommand('bash', [BUILD_SCRIPT], 300_000);
    for (const line of `${stdout}${stderr}`.split('\n')) if (line !== '') process.stdout.write(`# ${line}\n`);
    if (!(await imageExists(TEST_IMAGE))) throw new Error(`${BUILD_SCRIPT} ran but ${TEST_IMAGE} is missing`);
    return TEST_IMAGE;
  })();
  ensured.catch(() => (ensured = undefined));
  return ensured;
}

/**
 * `docker run -d` of the test image (default command `sleep 3600`) under a unique `kl-test-…` name, with
 * `args` as extra run options (`--sysctl`, `--network`, …). Resolves once the container runs, with its PID.
 */
export async function runContainer(
  args: readonly string[],
  opts: RunContainerOptions = {},
): Promise<TestContainer> {
  const name = opts.name ?? uniqueTestName(opts.label ?? 'ctr');
  opts.scope?.track(name);
  return runTestContainer({
    engine: 'docker',
    cli: (cliArgs) => docker(cliArgs),
    name,
    args,
    image: opts.image ?? TEST_IMAGE,
    command: opts.command ?? ['sleep', '3600'],
  });
}

/** `docker rm -f -v` of containers by id or name; missing ones are not an error. */
export async function removeContainers(...idsOrNames: string[]): Promise<void> {
  if (idsOrNames.length === 0) return;
  try {
    await docker(['rm', '-f', '-v', ...idsOrNames]);
  } catch (error) {
    // Older clients exit 1 when one of the containers is already gone; only that is tolerated.
    const stderr = ((error as Error).cause as { stderr?: string } | undefined)?.stderr ?? '';
    const lines = stderr.split('\n').filter((line) => line.trim() !== '');
    if (lines.length === 0 || !lines.every((line) => /no such container/i.test(line))) throw error;
  }
}

/** Names of every container (running or not) whose name starts with `kl-test-`. */
export async function listTestContainers(): Promise<string[]> {
  const out = await docker(['ps', '-a', '--filter', `name=${TEST_PREFIX}`, '--format', '{{.Names}}']);
  return out.split('\n').filter((name) => name.startsWith(TEST_PREFIX));
}

/** Removes `kl-test-` containers left by a crashed earlier run (those whose test process is gone). */
export async function removeStaleTestContainers(): Promise<string[]> {
  const stale = (await listTestContainers()).filter(isStaleTestName);
  await removeContainers(...stale);
  return stale;
}

/** Cleanup registry: `const scope = new DockerScope(); try { … } finally { await scope.cleanup(); }`. */
export class DockerScope {
  private readonly names = new Set<string>();

  track(name: string): void {
    this.names.add(name);
  }

  run(args: readonly string[] = [], opts: Omit<RunContainerOptions, 'scope'> = {}): Promise<TestContainer> {
    return runContainer(args, { ...opts, scope: this });
  }

  get containerNames(): readonly string[] {
    return [...this.names];
  }

  /** Removes every container this scope started, even those that failed to start. */
  async cleanup(): Promise<void> {
    const names = [...this.names];
    await removeContainers(...names);
    for (const name of names) this.names.delete(name);
  }
}

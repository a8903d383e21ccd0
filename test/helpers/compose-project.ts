import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { docker, runCommand } from './docker-engine.js';
import { repoPath } from './repo-path.js';

/** The base image .ci/build-node-base-image.sh makes from this machine's node (no registry needed). */
export const NODE_BASE_IMAGE = 'kernel-ledger-test/node-base:latest';
const NODE_BASE_SCRIPT = repoPath('.ci', 'build-node-base-image.sh');

/** Prints a command's output (the test runner shows it as comments), so the log shows what the scripts did. */
function comment(text: string): void {
  for (const line of text.split('\n')) if (line.trim() !== '') process.stdout.write(`${line}\n`);
}

/** Builds (or confirms, it is idempotent) the local node base image; returns its name. */
export async function ensureNodeBaseImage(): Promise<string> {
  const { stdout, stderr } = await runCommand('bash', [NODE_BASE_SCRIPT], 600_000);
  comment(`${stdout}${stderr}`);
  return NODE_BASE_IMAGE;
}

/**
 * `docker build` of the repository's Dockerfile; resolves with the build time in ms. Every image id the build
 * printed (layers and intermediate stages, which the legacy builder leaves untagged) is added to `layers`, even
 * when the build fails, so the caller can remove them: on a vfs daemon each is a full copy of its filesystem.
 */
export async function buildImage(
  tag: string,
  buildArgs: Readonly<Record<string, string>>,
  layers: Set<string>,
  timeoutMs = 900_000,
): Promise<number> {
  const started = Date.now();
  const args = ['build', '--force-rm', '--tag', tag, '--file', repoPath('Dockerfile')];
  for (const [name, value] of Object.entries(buildArgs)) args.push('--build-arg', `${name}=${value}`);
  const collect = (output: string): void => {
    for (const match of output.matchAll(/^ ---> ([0-9a-f]{12,64})$/gm)) if (match[1]) layers.add(match[1]);
  };
  try {
    collect((await runCommand('docker', [...args, repoPath()], timeoutMs)).stdout);
  } catch (error) {
    collect(((error as Error).cause as { stdout?: string } | undefined)?.stdout ?? '');
    throw error;
  }
  return Date.now() - started;
}

/**
 * Removes images a build left untagged (see buildImage), newest first. Ids still used by a tagged image (the
 * base image's, or a cached layer of another build) are kept: Docker refuses those without --force.
 */
export async function removeUntaggedImages(ids: Iterable<string>): Promise<void> {
  for (const id of [...ids].reverse()) {
    let tags: string;
    try {
      tags = await docker(['image', 'inspect', '--format', '{{len .RepoTags}}', id], 30_000);
    } catch {
      continue; // already gone (removed with its child)
    }
    if (tags.trim() !== '0') continue;
    try {
      await docker(['image', 'rm', id], 120_000);
    } catch (error) {
      if (!/no such image|conflict|being used|has dependent child images/i.test((error as Error).message))
        throw error;
    }
  }
}

/** A TCP port free on 127.0.0.1 right now (the agent binds it through host networking). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The docker-compose executable (Debian's `docker-compose` package), or null when it is not installed. */
export async function composeCommand(): Promise<string | null> {
  try {
    await runCommand('docker-compose', ['version'], 30_000);
    return 'docker-compose';
  } catch {
    return null;
  }
}

/**
 * One Compose project made of the repository's docker-compose.yml plus a test override (JSON, which is YAML),
 * under a unique project name. `down()` removes its containers, its network and its named volumes.
 */
export class ComposeProject {
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'kl-compose-'));
  private readonly overridePath = path.join(this.dir, 'docker-compose.test.json');
  private started = false;

  constructor(
    readonly command: string,
    readonly name: string,
    readonly composeFile = repoPath('docker-compose.yml'),
  ) {}

  private overridden = false;

  private run(args: readonly string[], timeoutMs = 180_000): Promise<string> {
    const files = ['-f', this.composeFile, ...(this.overridden ? ['-f', this.overridePath] : [])];
    return runCommand(this.command, ['--ansi', 'never', '-p', this.name, ...files, ...args], timeoutMs).then(
      (output) => output.stdout,
    );
  }

  /**
   * Writes the override merged over docker-compose.yml (image, environment…). It must declare at least one
   * service: Compose 1.29 takes a file with an empty `services` for a version 1 file and refuses to merge it.
   */
  override(content: { services: Record<string, unknown> }): void {
    writeFileSync(this.overridePath, JSON.stringify(content, null, 2));
    this.overridden = true;
  }

  /** Services declared by the files (`config --services`). */
  async services(): Promise<string[]> {
    return (await this.run(['config', '--services'], 60_000)).split('\n').filter((s) => s.trim() !== '');
  }

  async up(): Promise<void> {
    this.started = true;
    await this.run(['up', '--detach', '--no-build']);
  }

  /** Container id of a service's (first) container. */
  async containerId(service: string): Promise<string> {
    const id = (await this.run(['ps', '--quiet', service], 60_000)).trim().split('\n')[0] ?? '';
    if (id === '') throw new Error(`compose project ${this.name} has no container for ${service}`);
    return id;
  }

  async logs(): Promise<string> {
    return this.run(['logs', '--no-color', '--tail', '60'], 60_000).catch((error: Error) => error.message);
  }

  /** `down --volumes --remove-orphans`, then removes the override's folder. Safe to call when never started. */
  async down(): Promise<void> {
    try {
      if (this.started) await this.run(['down', '--volumes', '--remove-orphans', '--timeout', '10']);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/** `docker image rm` of tags this test created; a missing image is not an error. */
export async function removeImages(...tags: string[]): Promise<void> {
  for (const tag of tags) {
    try {
      await docker(['image', 'rm', '--force', tag], 120_000);
    } catch (error) {
      if (!/no such image/i.test((error as Error).message)) throw error;
    }
  }
}

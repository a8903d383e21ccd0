import { type ChildProcess, spawn } from 'node:child_process';
import {
  type CommandOutput,
  isStaleTestName,
  runCommand,
  TEST_PREFIX,
  uniqueTestName,
} from './docker-engine.js';

/** `ip netns exec <name> <argv…>`. */
export function netnsExec(name: string, argv: readonly string[], timeoutMs?: number): Promise<CommandOutput> {
  return runCommand('ip', ['netns', 'exec', name, ...argv], timeoutMs);
}

/** Names of every named network namespace starting with `kl-test-`. */
export async function listTestNetns(): Promise<string[]> {
  const { stdout } = await runCommand('ip', ['netns', 'list']);
  return stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(TEST_PREFIX));
}

/** Deletes `kl-test-` network namespaces left by a crashed earlier run (those whose test process is gone). */
export async function removeStaleTestNetns(): Promise<string[]> {
  const stale = (await listTestNetns()).filter(isStaleTestName);
  for (const name of stale) await runCommand('ip', ['netns', 'delete', name]);
  return stale;
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Named network namespaces for one test: `const ns = new NetnsScope(); try { … } finally { await ns.cleanup(); }`.
 * Cleanup kills every process spawned in them, then deletes every namespace created.
 */
export class NetnsScope {
  private readonly namespaces = new Set<string>();
  private readonly children = new Set<ChildProcess>();

  /** `ip netns add kl-test-<pid>-<label>-…`; returns the unique name. */
  async add(label = 'ns'): Promise<string> {
    const name = uniqueTestName(label);
    await runCommand('ip', ['netns', 'add', name]);
    this.namespaces.add(name);
    return name;
  }

  get names(): readonly string[] {
    return [...this.namespaces];
  }

  exec(name: string, argv: readonly string[], timeoutMs?: number): Promise<CommandOutput> {
    return netnsExec(name, argv, timeoutMs);
  }

  /** Starts a long-running process in the namespace (own process group, so cleanup kills its children too). */
  spawnIn(name: string, argv: readonly string[]): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', name, ...argv], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    child.on('error', () => this.children.delete(child));
    return child;
  }

  async cleanup(): Promise<void> {
    const children = [...this.children];
    for (const child of children) {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) continue;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }
    await Promise.all(children.filter((child) => child.pid !== undefined).map(waitExit));
    const failures: string[] = [];
    for (const name of this.namespaces) {
      try {
        await runCommand('ip', ['netns', 'delete', name]);
        this.namespaces.delete(name);
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
    if (failures.length > 0) throw new Error(`netns cleanup failed:\n${failures.join('\n')}`);
  }
}

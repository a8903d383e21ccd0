import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onCleanup } from './cleanup.js';

/**
 * Named network namespaces made for a benchmark run (`ip netns add`, so the peer can `ip netns exec` them), always
 * removed by `remove()`, by the run's cleanup, or on a signal.
 *
 * `dir` is a private directory holding bind mounts of exactly these namespaces: the agent is pointed at it with
 * NETNS_DIR, so named netns that other jobs on the machine create in /run/netns do not enter our figures.
 */
export class NetnsFleet {
  readonly names: string[] = [];
  readonly dir: string;
  private readonly mounted: string[] = [];
  private readonly release: () => void;

  constructor(prefix: string, count: number) {
    this.dir = mkdtempSync(path.join(tmpdir(), `${prefix}-netns-`));
    this.release = onCleanup(`netns ${prefix}`, () => this.removeNow());
    try {
      for (let i = 0; i < count; i++) {
        const name = `${prefix}-${process.pid}-${i}`;
        execFileSync('ip', ['netns', 'add', name]);
        this.names.push(name);
        const view = path.join(this.dir, name);
        writeFileSync(view, '');
        execFileSync('mount', ['--bind', `/run/netns/${name}`, view]);
        this.mounted.push(view);
      }
    } catch (error) {
      this.remove();
      throw error;
    }
  }

  remove(): void {
    this.release();
  }

  private removeNow(): void {
    for (const view of this.mounted.splice(0)) {
      try {
        execFileSync('umount', [view], { stdio: 'ignore' });
      } catch {
        // not mounted
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
    for (const name of this.names.splice(0)) {
      try {
        execFileSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
  }
}

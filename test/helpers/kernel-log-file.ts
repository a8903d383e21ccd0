import { randomUUID } from 'node:crypto';
import { mkdirSync, appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KmsgService } from '../../src/kernel-events/kmsg.service.js';
import type { StoredKernelEvent } from '../../src/domain/kernel-events/stored-kernel-event.js';

const UPTIME_S = 5000;

/**
 * A kernel log the agent follows as it follows /dev/kmsg: a file of kmsg records (KMSG_PATH) and the boot it
 * belongs to (boot_id and uptime under the agent's procfs root). Lines appended are read by the real
 * follower, stored by the real writer and published on the event seam like the kernel's own.
 */
export class KernelLogFile {
  readonly path: string;
  private seq = 1;

  constructor(dir: string, procRoot: string) {
    this.path = path.join(dir, `kmsg-${randomUUID()}`);
    writeFileSync(this.path, '');
    mkdirSync(path.join(procRoot, 'sys', 'kernel', 'random'), { recursive: true });
    writeFileSync(path.join(procRoot, 'sys', 'kernel', 'random', 'boot_id'), `${randomUUID()}\n`);
    writeFileSync(path.join(procRoot, 'uptime'), `${UPTIME_S}.00 100.00\n`);
  }

  /** The agent's variables for this log (the test polls; the background poll waits a minute). */
  get env(): Record<string, string> {
    return { KMSG_PATH: this.path, KMSG_POLL_INTERVAL_MS: '60000' };
  }

  /** Appends kernel-facility records, one per message, as the kernel prints them. */
  append(...messages: string[]): void {
    for (const message of messages) {
      appendFileSync(this.path, `4,${this.seq++},${UPTIME_S * 1_000_000},-;${message}\n`);
    }
  }
}

/** Polls the follower until `count` bursts were stored (a poll running in the background answers []). */
export async function pollUntilStored(
  kmsg: KmsgService,
  count: number,
  timeoutMs = 5_000,
): Promise<StoredKernelEvent[]> {
  const stored: StoredKernelEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (stored.length < count) {
    if (Date.now() > deadline) throw new Error(`${stored.length} of ${count} kernel events stored`);
    stored.push(...(await kmsg.pollOnce()));
    if (stored.length < count) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return stored;
}

/** A conntrack "table full" line in a netns no set owns: a burst of its own for each `netns`. */
export function conntrackTableFull(netns: number): string {
  return `nf_conntrack: nf_conntrack: table full in netns ${netns}, dropping packet`;
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseUptime } from '../domain/kernel-events/kernel-wall-time.js';

/** `<procRoot>/sys/kernel/random/boot_id`: a UUID that changes on every boot. */
export function readBootId(procRoot: string): string {
  return readFileSync(path.join(procRoot, 'sys', 'kernel', 'random', 'boot_id'), 'utf8').trim();
}

/** Seconds since boot from `<procRoot>/uptime`. */
export function readUptimeSeconds(procRoot: string): number {
  const text = readFileSync(path.join(procRoot, 'uptime'), 'utf8');
  const seconds = parseUptime(text);
  if (seconds === null)
    throw new Error(`${path.join(procRoot, 'uptime')}: unexpected content ${JSON.stringify(text)}`);
  return seconds;
}

/** `<procRoot>/sys/kernel/osrelease` (`6.18.44-fc-v782`); empty when unreadable. */
export function readOsRelease(procRoot: string): string {
  try {
    return readFileSync(path.join(procRoot, 'sys', 'kernel', 'osrelease'), 'utf8').trim();
  } catch {
    return '';
  }
}

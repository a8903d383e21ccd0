import type { CollectionTarget } from './collector.js';

/**
 * The PID whose /proc/PID/net/* shows the target's own netns, or null when the target has none to measure: no
 * process inside (a named netns nobody runs in), or it shares the host's netns (`--network host`), whose
 * counters the host set already samples.
 */
export function ownNetnsPid(target: CollectionTarget): number | null {
  const { set } = target;
  if (set.pid === null) return null;
  return set.identity === 'host' || set.differingTypes.includes('net') ? set.pid : null;
}

/** The host set's PID (PID 1 or the agent), for host-only measures; null for every other set. */
export function hostPid(target: CollectionTarget): number | null {
  return target.set.identity === 'host' ? target.set.pid : null;
}

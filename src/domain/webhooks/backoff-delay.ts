/**
 * Each retry waits GROWTH times longer than the one before; with the defaults (5 s base, 12 attempts) the
 * waits are 5 s, 12.5 s, 31 s … 13 h, about 22 hours in all, so a receiver down for a day loses nothing.
 */
export const BACKOFF_GROWTH = 2.5;
/** Each wait is spread by ±JITTER so that receivers coming back are not hit by every agent at once. */
export const BACKOFF_JITTER = 0.2;

/**
 * Milliseconds to wait after failed attempt number `attempt` (1-based). `random` is in [0, 1), passed in so
 * the schedule is testable.
 */
export function backoffDelay(attempt: number, baseMs: number, random: number): number {
  const nominal = baseMs * BACKOFF_GROWTH ** Math.max(0, attempt - 1);
  const spread = 1 - BACKOFF_JITTER + 2 * BACKOFF_JITTER * Math.min(Math.max(random, 0), 1);
  return Math.round(nominal * spread);
}

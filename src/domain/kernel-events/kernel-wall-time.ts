/**
 * Wall time of the boot, estimated as now − /proc/uptime. Approximation: /proc/uptime has 10 ms resolution and
 * counts suspended time (CLOCK_BOOTTIME) while kmsg timestamps come from the kernel's local clock, which stops
 * during suspend; after a suspend, events computed this way are placed too late by the suspended time. A wall
 * clock step (NTP) after the agent started is not followed until the next start.
 */
export function bootWallTime(nowMs: number, uptimeSeconds: number): number {
  return Math.round(nowMs - uptimeSeconds * 1000);
}

/** Wall time (epoch ms) of a kmsg timestamp (µs since boot). */
export function kernelTimeToWall(tsUsec: number, bootWallMs: number): number {
  return bootWallMs + Math.floor(tsUsec / 1000);
}

/** Parses `/proc/uptime` ("1963.65 1921.93"); null when it is not two numbers. */
export function parseUptime(text: string): number | null {
  const first = Number(text.trim().split(/\s+/)[0]);
  return text.trim() !== '' && Number.isFinite(first) && first >= 0 ? first : null;
}

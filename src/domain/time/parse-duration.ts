/** Milliseconds per unit of a duration or relative time: s, m, h, d, w. */
export const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const DURATION = /^(\d{1,9})(s|m|h|d|w)$/;

/** `30s`, `15m`, `1h`, `7d`, `2w` → milliseconds; null for anything else. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0);
}

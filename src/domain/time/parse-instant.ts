import { UNIT_MS } from './parse-duration.js';

/** Thrown for a time parameter that is neither ISO-8601, epoch milliseconds, nor relative (`-15m`). */
export class InvalidInstantError extends Error {
  constructor(readonly input: string) {
    super(
      `'${input}' is not a time: use ISO-8601, epoch milliseconds, or a relative time like -30s, -15m, -2h, -7d`,
    );
  }
}

const RELATIVE = /^-(\d{1,9})(s|m|h|d|w)$/;
const EPOCH_MS = /^\d{1,15}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** Latest instant accepted: the year 9999, so arithmetic on times never leaves safe integers. */
const MAX_INSTANT = 253_402_300_799_999;

/** Parses a time parameter to epoch milliseconds, relative to `now`. */
export function parseInstant(input: string, now: number): number {
  const text = input.trim();
  if (text === 'now') return now;
  const relative = RELATIVE.exec(text);
  if (relative) {
    const value = now - Number(relative[1]) * (UNIT_MS[relative[2] ?? ''] ?? 0);
    if (value >= 0) return value;
    throw new InvalidInstantError(input);
  }
  if (EPOCH_MS.test(text)) {
    const value = Number(text);
    if (value <= MAX_INSTANT) return value;
    throw new InvalidInstantError(input);
  }
  if (ISO_DATE.test(text)) {
    const value = Date.parse(text);
    if (Number.isFinite(value) && value >= 0 && value <= MAX_INSTANT) return value;
  }
  throw new InvalidInstantError(input);
}

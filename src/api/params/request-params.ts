import { isWellFormedKey } from '../../domain/sysctl/sysctl-key.js';
import { InvalidInstantError, parseInstant } from '../../domain/time/parse-instant.js';
import { BadParameterError } from '../../common/api-errors.js';

/** Parses a time parameter (ISO-8601, epoch ms, relative) or answers 400 naming it. */
export function timeParam(name: string, raw: string | undefined, now: number): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    return parseInstant(raw, now);
  } catch (error) {
    if (error instanceof InvalidInstantError) throw new BadParameterError(name, error.message);
    throw error;
  }
}

export function intParam(
  name: string,
  raw: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new BadParameterError(name, `'${raw}' is not a whole number from ${min} to ${max}`);
  }
  return Number(raw);
}

export function orderedWindow(from: number, to: number): void {
  if (from > to)
    throw new BadParameterError(
      'from',
      `from (${new Date(from).toISOString()}) is after to (${new Date(to).toISOString()})`,
    );
}

/** A key from a request: checked for shape only; it is then looked up in the catalog, never used as a path. */
export function keyParam(raw: string): string {
  if (!isWellFormedKey(raw)) throw new BadParameterError('key', `'${raw.slice(0, 80)}' is not a sysctl key`);
  return raw;
}

export function textParam(name: string, raw: string | undefined, maxLength: number): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length > maxLength || raw.includes('\0'))
    throw new BadParameterError(name, `at most ${maxLength} characters`);
  return raw;
}

export function enumParam<T extends string>(
  name: string,
  raw: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new BadParameterError(name, `'${raw.slice(0, 40)}' is not one of ${allowed.join(', ')}`);
  }
  return raw as T;
}

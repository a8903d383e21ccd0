import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Deeper JSON than this is refused before validation: class-transformer recurses once per level. */
export const MAX_JSON_DEPTH = 32;

/**
 * More JSON values (objects, arrays, members, items) than this in a body outside /baselines is refused before
 * validation. The largest valid body (a webhook: 20 events, 100 key and 100 namespace globs) holds about 230;
 * the ValidationPipe spends ~0.1 ms and one error line per unknown member, so a 1 MB body of 60,000 members
 * cost seconds and a 906 KB answer. Baseline bundles have their own limits (BASELINE_BODY_LIMIT_BYTES, key
 * and set counts) and validator.
 */
export const MAX_JSON_VALUES = 1000;

/** Number of values in a parsed JSON value, counting stops once past `limit`; no recursion. */
export function jsonValueCount(value: unknown, limit: number): number {
  const stack: unknown[] = [value];
  let count = 0;
  while (stack.length > 0 && count <= limit) {
    const item = stack.pop();
    count += 1;
    if (item === null || typeof item !== 'object') continue;
    for (const child of Object.values(item)) stack.push(child);
  }
  return count;
}

/** Depth of a parsed JSON value, measured without recursion so a hostile body cannot overflow the stack. */
export function jsonDepth(value: unknown, limit: number): number {
  const stack: [unknown, number][] = [[value, 1]];
  let deepest = 0;
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Express middleware after the JSON parser: a body nested deeper than MAX_JSON_DEPTH, or one whose
 * top-level fields hold `null` (optional fields are omitted, never null), is a 400 naming the problem; one of
 * more than MAX_JSON_VALUES values (outside /baselines) is a 413.
 */
export function rejectHostileJson(req: Request, _res: Response, next: NextFunction): void {
  const body: unknown = req.body;
  if (body === null || typeof body !== 'object') return next();
  if (jsonDepth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    return next(new BadRequestException(`request body is nested deeper than ${MAX_JSON_DEPTH} levels`));
  }
  const baseline = req.path.includes('/baselines');
  if (!baseline && jsonValueCount(body, MAX_JSON_VALUES) > MAX_JSON_VALUES) {
    return next(
      new PayloadTooLargeException(
        `request body holds more than ${MAX_JSON_VALUES} JSON values (objects, arrays and their members); no route takes that many`,
      ),
    );
  }
  // A baseline bundle carries nulls by design (unreadable keys); its own validator checks every field.
  if (!Array.isArray(body) && !baseline) {
    const nulls = Object.entries(body)
      .filter(([, value]) => value === null)
      .map(([name]) => name);
    if (nulls.length > 0) {
      return next(new BadRequestException(nulls.map((name) => `${name} must not be null (omit it instead)`)));
    }
  }
  next();
}

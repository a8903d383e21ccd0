import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Deeper JSON than this is refused before validation: class-transformer recurses once per level. */
export const MAX_JSON_DEPTH = 32;

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
 * top-level fields hold `null` (optional fields are omitted, never null), is a 400 naming the problem.
 */
export function rejectHostileJson(req: Request, _res: Response, next: NextFunction): void {
  const body: unknown = req.body;
  if (body === null || typeof body !== 'object') return next();
  if (jsonDepth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    return next(new BadRequestException(`request body is nested deeper than ${MAX_JSON_DEPTH} levels`));
  }
  // A baseline bundle carries nulls by design (unreadable keys); its own validator checks every field.
  if (!Array.isArray(body) && !req.path.includes('/baselines')) {
    const nulls = Object.entries(body)
      .filter(([, value]) => value === null)
      .map(([name]) => name);
    if (nulls.length > 0) {
      return next(new BadRequestException(nulls.map((name) => `${name} must not be null (omit it instead)`)));
    }
  }
  next();
}

import { BadParameterError } from '../../common/api-errors.js';
import { isWellFormedKey } from '../../domain/sysctl/sysctl-key.js';
import { intParam } from './request-params.js';

/** A page of a key-ordered list: at most `limit` keys after `cursor` (a key name; '' for the first page). */
export interface KeyPage {
  readonly limit: number;
  readonly cursor: string;
}

export const KEY_PAGE_DEFAULT = 200;
export const KEY_PAGE_MAX = 1000;

/** Descriptions of `limit` and `cursor` for the OpenAPI document. */
export const PAGE_LIMIT = `Page size: 1 to ${KEY_PAGE_MAX} keys (default ${KEY_PAGE_DEFAULT}).`;
export const PAGE_CURSOR = 'The `nextCursor` of the previous page (a key name), for the next one.';

/** `limit` (1–1000, default 200) and `cursor` (the `nextCursor` of the previous page) of a key-ordered list. */
export function keyPageParams(limit: string | undefined, cursor: string | undefined): KeyPage {
  if (cursor !== undefined && cursor !== '' && !isWellFormedKey(cursor)) {
    throw new BadParameterError('cursor', `'${cursor.slice(0, 80)}' is not a nextCursor (a sysctl key)`);
  }
  return {
    limit: intParam('limit', limit, 1, KEY_PAGE_MAX) ?? KEY_PAGE_DEFAULT,
    cursor: cursor ?? '',
  };
}

/** The page's rows (the query asked for one more than `limit`) and the cursor of the next page, if any. */
export function pageOf<T>(rows: readonly T[], page: KeyPage, keyOf: (row: T) => string) {
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > page.limit && last !== undefined ? keyOf(last) : null };
}

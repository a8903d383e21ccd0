import { BadParameterError } from '../../common/api-errors.js';
import type { KeyPage } from '../../domain/paging/key-page.js';
import { isWellFormedKey } from '../../domain/sysctl/sysctl-key.js';
import { intParam } from './request-params.js';

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

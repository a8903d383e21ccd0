import { IsString } from 'class-validator';
import { BadParameterError } from '../../common/api-errors.js';
import type { KeyPage } from '../../domain/paging/key-page.js';
import { isWellFormedKey } from '../../domain/sysctl/sysctl-key.js';
import { IntQuery, QueryParam } from './query-params.js';

export const KEY_PAGE_DEFAULT = 200;
export const KEY_PAGE_MAX = 1000;

/** `limit` and `cursor` of a key-ordered list; query DTOs of paged routes extend it. */
export class KeyPageQuery {
  @IntQuery(1, KEY_PAGE_MAX, {
    description: `Page size: 1 to ${KEY_PAGE_MAX} keys (default ${KEY_PAGE_DEFAULT}).`,
    example: '100',
  })
  limit?: number;

  @QueryParam(
    {
      description: 'The `nextCursor` of the previous page (a key name), for the next one.',
      example: 'net.ipv4.tcp_rmem',
    },
    IsString(),
    (name, raw) => {
      if (isWellFormedKey(raw)) return raw;
      throw new BadParameterError(name, `'${raw.slice(0, 80)}' is not a nextCursor (a sysctl key)`);
    },
  )
  cursor?: string;
}

/** The page a KeyPageQuery asks for: at most `limit` keys (default 200) after `cursor` ('' for the first). */
export function keyPageOf(query: KeyPageQuery): KeyPage {
  return { limit: query.limit ?? KEY_PAGE_DEFAULT, cursor: query.cursor ?? '' };
}

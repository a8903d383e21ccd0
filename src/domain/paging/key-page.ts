/** A page of a key-ordered list: at most `limit` keys after `cursor` (a key name; '' for the first page). */
export interface KeyPage {
  readonly limit: number;
  readonly cursor: string;
}

/** The page's rows (the query asked for one more than `limit`) and the cursor of the next page, if any. */
export function pageOf<T>(rows: readonly T[], page: KeyPage, keyOf: (row: T) => string) {
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > page.limit && last !== undefined ? keyOf(last) : null };
}

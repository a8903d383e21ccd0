/** Splits rows into slices small enough for one multi-row statement (SQLite caps bound parameters). */
export function* chunked<T>(rows: readonly T[], size: number): Generator<readonly T[]> {
  for (let start = 0; start < rows.length; start += size) yield rows.slice(start, start + size);
}

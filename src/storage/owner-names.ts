/**
 * SQL for the names of the containers and named netns that own the namespace set whose id is in the column
 * `namespaceIdColumn` (e.g. `n."id"`): comma-joined, NULL when there are none. ownerNamesOf reads it.
 */
export function ownerNamesSql(namespaceIdColumn: string): string {
  return `(SELECT group_concat(own."name", ',') FROM "owners" own
            WHERE own."namespace_id" = ${namespaceIdColumn} AND own."kind" IN ('pod', 'container', 'netns'))`;
}

/** The owner names of an ownerNamesSql column. */
export function ownerNamesOf(joined: string | null): string[] {
  return joined ? joined.split(',') : [];
}

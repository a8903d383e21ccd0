/**
 * SQL expression: the id of the namespace set in network namespace `netInodeSql` at the instant `atSql` (each
 * appears once, in this order, so `?` placeholders may stand for them). Inode numbers are reused once a
 * namespace is freed, so the set whose lifetime holds the instant wins (started_at <= at < ended_at; a set
 * still alive has no end yet): a kernel line printed after a container was replaced belongs to the
 * replacement, one printed before to the container it names no more. Without such a set, the one seen closest
 * to the instant. Ties go to the host set (a `--network host` container shares its net inode), then to the
 * most recently seen set. NULL when no snapshot saw that netns.
 */
export function namespaceByNetInodeSql(netInodeSql: string, atSql: string): string {
  return `(SELECT nn."id" FROM (SELECT ${netInodeSql} AS "inode", ${atSql} AS "t") w
    JOIN "namespaces" nn ON nn."net_inode" = w."inode"
    ORDER BY (coalesce(nn."started_at", nn."first_seen_at") <= w."t" AND (nn."ended_at" IS NULL OR nn."ended_at" > w."t")) DESC,
             max(0, nn."first_seen_at" - w."t", w."t" - nn."last_seen_at"), nn."identity" = 'host' DESC,
             nn."last_seen_at" DESC, nn."id" LIMIT 1)`;
}

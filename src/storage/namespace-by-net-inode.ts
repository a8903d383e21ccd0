/**
 * SQL expression: the id of the namespace set in network namespace `netInodeSql` that was alive closest to the
 * instant `atSql` (inodes are reused once a namespace is freed). Ties go to the host set (a `--network host`
 * container shares its net inode), then to the most recently seen set. NULL when no snapshot saw that netns.
 */
export function namespaceByNetInodeSql(netInodeSql: string, atSql: string): string {
  return `(SELECT nn."id" FROM "namespaces" nn WHERE nn."net_inode" = ${netInodeSql}
    ORDER BY max(0, nn."first_seen_at" - ${atSql}, ${atSql} - nn."last_seen_at"), nn."identity" = 'host' DESC,
             nn."last_seen_at" DESC, nn."id" LIMIT 1)`;
}

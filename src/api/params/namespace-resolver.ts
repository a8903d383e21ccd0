import type { DataSource } from 'typeorm';
import { NotFoundError } from '../../common/api-errors.js';
import { textParam } from './request-params.js';

export interface ResolvedNamespace {
  readonly id: number;
  readonly identity: string;
  readonly kind: string;
  readonly netInode: number | null;
  readonly ipcInode: number | null;
  readonly utsInode: number | null;
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
}

const COLUMNS = `n."id", n."identity", n."kind", n."net_inode" AS "netInode", n."ipc_inode" AS "ipcInode",
  n."uts_inode" AS "utsInode", n."first_seen_at" AS "firstSeenAt", n."last_seen_at" AS "lastSeenAt"`;

/**
 * Resolves a `namespace` parameter: a numeric id, `host`, a set identity, a container name or id (a unique
 * prefix of at least 4 characters), or a netns name. Looked up in the database only; the most recently seen
 * set wins when a name was reused.
 */
export async function resolveNamespace(
  dataSource: DataSource,
  raw: string | undefined,
  parameter = 'namespace',
): Promise<ResolvedNamespace> {
  const wanted = textParam(parameter, raw, 256) ?? 'host';
  const direct: ResolvedNamespace[] = /^\d{1,15}$/.test(wanted)
    ? await dataSource.query(`SELECT ${COLUMNS} FROM "namespaces" n WHERE n."id" = ?`, [Number(wanted)])
    : await dataSource.query(`SELECT ${COLUMNS} FROM "namespaces" n WHERE n."identity" = ?`, [wanted]);
  if (direct[0]) return direct[0];
  const byOwner: ResolvedNamespace[] = await dataSource.query(
    `SELECT ${COLUMNS} FROM "owners" o JOIN "namespaces" n ON n."id" = o."namespace_id"
      WHERE o."kind" IN ('container', 'netns')
        AND (o."name" = ? OR (o."kind" = 'container' AND length(?) >= 4 AND substr(o."ref", 1, length(?)) = ?))
      ORDER BY o."last_seen_at" DESC LIMIT 1`,
    [wanted, wanted, wanted, wanted],
  );
  if (byOwner[0]) return byOwner[0];
  throw new NotFoundError(
    wanted === 'host'
      ? 'no snapshot of the host has been recorded yet'
      : `${parameter} '${wanted.slice(0, 80)}' matches no namespace set, container or netns`,
  );
}

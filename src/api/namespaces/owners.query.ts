import type { DataSource } from 'typeorm';
import type { OwnerView } from './namespace.views.js';

interface OwnerRow {
  namespace_id: number;
  kind: string;
  ref: string;
  name: string;
  image: string | null;
  labels: string | null;
  declared_sysctls: string | null;
  network_mode: string | null;
  pid: number | null;
  first_seen_at: number;
  last_seen_at: number;
}

/** Owners of the given sets, by set id; only those seen by the snapshot at `seenAt` when it is given. */
export async function loadOwners(
  dataSource: DataSource,
  namespaceIds: readonly number[],
  seenAt: number | null,
): Promise<Map<number, OwnerView[]>> {
  const byNamespace = new Map<number, OwnerView[]>();
  if (namespaceIds.length === 0) return byNamespace;
  const rows: OwnerRow[] = await dataSource.query(
    `SELECT * FROM "owners" WHERE "namespace_id" IN (${namespaceIds.map(() => '?').join(', ')})
       ${seenAt === null ? '' : 'AND "first_seen_at" <= ? AND "last_seen_at" >= ?'}
     ORDER BY "kind" = 'container' DESC, "kind" = 'netns' DESC, "name"`,
    seenAt === null ? [...namespaceIds] : [...namespaceIds, seenAt, seenAt],
  );
  for (const row of rows) {
    const list = byNamespace.get(row.namespace_id) ?? [];
    list.push({
      kind: row.kind,
      ref: row.ref,
      name: row.name,
      image: row.image,
      labels: row.labels === null ? null : (JSON.parse(row.labels) as Record<string, string>),
      declaredSysctls:
        row.declared_sysctls === null ? null : (JSON.parse(row.declared_sysctls) as Record<string, string>),
      networkMode: row.network_mode,
      pid: row.pid,
      firstSeenAt: new Date(row.first_seen_at).toISOString(),
      lastSeenAt: new Date(row.last_seen_at).toISOString(),
    });
    byNamespace.set(row.namespace_id, list);
  }
  return byNamespace;
}

import type { EntityManager } from 'typeorm';
import type { Owner } from '../domain/namespaces/namespace-types.js';
import { chunked } from './chunked.js';

/**
 * One owners row per (set, kind, ref: container id, pod uid, netns name, pid); each snapshot that sees it moves
 * its last-seen time (and a pod's current containers).
 */
export async function upsertOwners(
  em: EntityManager,
  namespaceId: number,
  owners: readonly Owner[],
  seenAt: number,
): Promise<void> {
  for (const rows of chunked(owners, 200)) {
    await em.query(
      `INSERT INTO "owners" ("namespace_id", "kind", "ref", "name", "image", "labels", "declared_sysctls", "network_mode", "pid", "k8s_namespace", "containers", "first_seen_at", "last_seen_at")
       VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT ("namespace_id", "kind", "ref") DO UPDATE SET
         "last_seen_at" = excluded."last_seen_at", "name" = excluded."name", "pid" = excluded."pid",
         "containers" = excluded."containers"`,
      rows.flatMap((owner) => [namespaceId, ...ownerColumns(owner), seenAt, seenAt]),
    );
  }
}

function ownerColumns(owner: Owner): unknown[] {
  switch (owner.kind) {
    case 'container':
      return [
        'container',
        owner.id,
        owner.name,
        owner.image,
        JSON.stringify(owner.labels),
        JSON.stringify(owner.declaredSysctls),
        owner.networkMode,
        owner.pid,
        null,
        null,
      ];
    case 'pod':
      return [
        'pod',
        owner.uid,
        `${owner.namespace}/${owner.name}`,
        null,
        JSON.stringify(owner.labels),
        JSON.stringify(owner.declaredSysctls),
        null,
        owner.pid,
        owner.namespace,
        JSON.stringify(owner.containers),
      ];
    case 'netns':
      return ['netns', owner.name, owner.name, null, null, null, null, null, null, null];
    case 'process':
      return ['process', String(owner.pid), owner.command, null, null, null, null, owner.pid, null, null];
  }
}

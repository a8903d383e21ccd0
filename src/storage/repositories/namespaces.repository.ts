import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  type CatalogEntry,
  composeEffectiveSettings,
  type EffectiveSetting,
} from '../../domain/namespaces/compose-effective-settings.js';
import type { NamespaceType } from '../../domain/namespaces/namespace-types.js';
import type { KeyPage } from '../../domain/paging/key-page.js';
import type { ChildVisibility, Scope } from '../../domain/sysctl/sysctl-types.js';
import { positionalParams } from '../named-params.js';

export interface NamespaceRecord {
  readonly id: number;
  readonly identity: string;
  readonly kind: string;
  readonly netInode: number | null;
  readonly ipcInode: number | null;
  readonly utsInode: number | null;
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
  /** When its lifetime began, as best known; when it ended (found gone or its inodes reused), null while alive. */
  readonly startedAt: number;
  readonly endedAt: number | null;
  /** When its keys were last all read (a complete full read); null when never. Between two, values are its last known ones. */
  readonly lastFullReadAt?: number | null;
}

export interface OwnerRecord {
  kind: string;
  ref: string;
  name: string;
  image: string | null;
  labels: Record<string, string> | null;
  declaredSysctls: Record<string, string> | null;
  networkMode: string | null;
  pid: number | null;
  /** Pods: the Kubernetes namespace, the pod uid and the containers `[{name, image, id}]`; null otherwise. */
  namespace: string | null;
  uid: string | null;
  containers: { name: string; image: string; id: string }[] | null;
  firstSeenAt: string;
  lastSeenAt: string;
}

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
  k8s_namespace: string | null;
  containers: string | null;
  first_seen_at: number;
  last_seen_at: number;
}

interface EffectiveRow {
  name: string;
  scope: Scope;
  child_visibility: ChildVisibility | null;
  volatile: number;
  in_host: number;
  host_value: string | null;
  in_own: number;
  own_value: string | null;
}

export interface EffectiveSettingsRequest {
  readonly hostId: number;
  /** The set's id, or null for the host itself. */
  readonly setId: number | null;
  /** Namespace types the set owns (its own values for keys of these scopes). */
  readonly ownTypes: readonly NamespaceType[];
  readonly at: number;
  readonly prefix: string | undefined;
  readonly page: KeyPage;
}

const COLUMNS = `n."id", n."identity", n."kind", n."net_inode" AS "netInode", n."ipc_inode" AS "ipcInode",
  n."uts_inode" AS "utsInode", n."first_seen_at" AS "firstSeenAt", n."last_seen_at" AS "lastSeenAt",
  coalesce(n."started_at", n."first_seen_at") AS "startedAt", n."ended_at" AS "endedAt",
  n."last_read_at" AS "lastFullReadAt"`;

/**
 * One set's value of a key at `at`: the interval holding `at` (one index seek on ix_setting_values_history),
 * or its counter's latest reading, which wins as in stateAt.
 */
const valueOf = (alias: string, param: string): string => `
  LEFT JOIN "setting_values" ${alias}v ON ${alias}v."namespace_id" = ${param} AND ${alias}v."key_id" = k."id"
        AND ${alias}v."valid_from" <= :at AND (${alias}v."valid_to" IS NULL OR ${alias}v."valid_to" > :at)
  LEFT JOIN "volatile_values" ${alias}x ON ${alias}x."namespace_id" = ${param} AND ${alias}x."key_id" = k."id"`;

/** Namespace sets, their owners and the settings in force inside them. */
@Injectable()
export class NamespacesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The set a `namespace` parameter names: a numeric id, a set identity, a container name or id (a unique
   * prefix of at least 4 characters), a netns name, a pod as `pod:<k8s-namespace>/<pod>` (or
   * `<k8s-namespace>/<pod>`), or the name or id prefix of a container inside a pod. The most recently seen set
   * wins when a name was reused.
   */
  async find(wanted: string): Promise<NamespaceRecord | undefined> {
    const direct: NamespaceRecord[] = /^\d{1,15}$/.test(wanted)
      ? await this.dataSource.query(`SELECT ${COLUMNS} FROM "namespaces" n WHERE n."id" = ?`, [
          Number(wanted),
        ])
      : await this.dataSource.query(`SELECT ${COLUMNS} FROM "namespaces" n WHERE n."identity" = ?`, [wanted]);
    if (direct[0]) return direct[0];
    const pod = /^pod:(.+)$/.exec(wanted);
    if (pod) {
      const byPod: NamespaceRecord[] = await this.dataSource.query(
        `SELECT ${COLUMNS} FROM "owners" o JOIN "namespaces" n ON n."id" = o."namespace_id"
          WHERE o."kind" = 'pod' AND o."name" = ? ORDER BY o."last_seen_at" DESC LIMIT 1`,
        [pod[1]],
      );
      return byPod[0];
    }
    const byOwner: NamespaceRecord[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM "owners" o JOIN "namespaces" n ON n."id" = o."namespace_id"
        WHERE o."kind" IN ('container', 'netns', 'pod')
          AND (o."name" = ? OR (o."kind" = 'container' AND length(?) >= 4 AND substr(o."ref", 1, length(?)) = ?))
        ORDER BY o."last_seen_at" DESC LIMIT 1`,
      [wanted, wanted, wanted, wanted],
    );
    if (byOwner[0]) return byOwner[0];
    // A container inside a pod, by name or id prefix (pods hold their containers as JSON).
    const inPod: NamespaceRecord[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM "owners" o JOIN "namespaces" n ON n."id" = o."namespace_id"
        WHERE o."kind" = 'pod' AND EXISTS (SELECT 1 FROM json_each(o."containers") c
          WHERE json_extract(c."value", '$.name') = ?
             OR (length(?) >= 4 AND substr(json_extract(c."value", '$.id'), 1, length(?)) = ?))
        ORDER BY o."last_seen_at" DESC LIMIT 1`,
      [wanted, wanted, wanted, wanted],
    );
    return inPod[0];
  }

  /**
   * The set a container or netns name (or container id prefix) named at `at`: of the sets it owned that had
   * begun by then, the latest (so `web@<time>` reaches a `web` that was replaced since).
   */
  async findAt(name: string, at: number): Promise<NamespaceRecord | undefined> {
    const rows: NamespaceRecord[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM "owners" o JOIN "namespaces" n ON n."id" = o."namespace_id"
        WHERE o."kind" IN ('container', 'netns')
          AND (o."name" = ? OR (o."kind" = 'container' AND length(?) >= 4 AND substr(o."ref", 1, length(?)) = ?))
          AND o."first_seen_at" <= ?
        ORDER BY o."first_seen_at" DESC, n."id" DESC LIMIT 1`,
      [name, name, name, name, at],
    );
    return rows[0];
  }

  /** Every set alive at `seenAt` (a snapshot's time), the host first. */
  aliveAt(seenAt: number): Promise<NamespaceRecord[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM "namespaces" n WHERE n."first_seen_at" <= ? AND n."last_seen_at" >= ?
        ORDER BY n."identity" = 'host' DESC, n."id"`,
      [seenAt, seenAt],
    );
  }

  /** Ids of the other sets in the same network namespace, seen at least as late as `set`. */
  async netPeers(set: NamespaceRecord): Promise<number[]> {
    const peers: { id: number }[] = await this.dataSource.query(
      `SELECT "id" FROM "namespaces" WHERE "net_inode" = ? AND "id" <> ? AND "last_seen_at" >= ?`,
      [set.netInode, set.id, set.lastSeenAt],
    );
    return peers.map((p) => p.id);
  }

  async allIds(): Promise<number[]> {
    const rows: { id: number }[] = await this.dataSource.query(`SELECT "id" FROM "namespaces"`);
    return rows.map((r) => r.id);
  }

  async hasContainer(namespaceId: number): Promise<boolean> {
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT count(*) AS "n" FROM "owners" WHERE "namespace_id" = ? AND "kind" = 'container'`,
      [namespaceId],
    );
    return (rows[0]?.n ?? 0) > 0;
  }

  /** Owners of the given sets, by set id; only those seen by the snapshot at `seenAt` when it is given. */
  /**
   * For each given set with a netns of its own, the other sets seen in the same netns (same net inode: a
   * debugging shell that joined a container's netns) at some time in [from, to]: they share its usage series.
   */
  async netnsSharers(
    namespaceIds: readonly number[],
    from: number,
    to: number,
  ): Promise<Map<number, number[]>> {
    const sharers = new Map<number, number[]>();
    if (namespaceIds.length === 0) return sharers;
    const rows: { id: number; other: number }[] = await this.dataSource.query(
      `SELECT n."id", o."id" AS "other" FROM "namespaces" n
         JOIN "namespaces" o ON o."net_inode" = n."net_inode" AND o."id" <> n."id"
        WHERE n."id" IN (${namespaceIds.map(() => '?').join(', ')}) AND n."identity" <> 'host'
          AND n."net_inode" <> (SELECT h."net_inode" FROM "namespaces" h WHERE h."identity" = 'host')
          AND o."first_seen_at" <= ? AND o."last_seen_at" >= ?
        ORDER BY o."id"`,
      [...namespaceIds, to, from],
    );
    for (const row of rows) sharers.set(row.id, [...(sharers.get(row.id) ?? []), row.other]);
    return sharers;
  }

  async owners(namespaceIds: readonly number[], seenAt: number | null): Promise<Map<number, OwnerRecord[]>> {
    const byNamespace = new Map<number, OwnerRecord[]>();
    if (namespaceIds.length === 0) return byNamespace;
    const rows: OwnerRow[] = await this.dataSource.query(
      `SELECT * FROM "owners" WHERE "namespace_id" IN (${namespaceIds.map(() => '?').join(', ')})
         ${seenAt === null ? '' : 'AND "first_seen_at" <= ? AND "last_seen_at" >= ?'}
       ORDER BY "kind" = 'pod' DESC, "kind" = 'container' DESC, "kind" = 'netns' DESC, "name"`,
      seenAt === null ? [...namespaceIds] : [...namespaceIds, seenAt, seenAt],
    );
    for (const row of rows) {
      const list = byNamespace.get(row.namespace_id) ?? [];
      list.push({
        kind: row.kind,
        ref: row.ref,
        name:
          row.kind === 'pod' && row.k8s_namespace !== null
            ? row.name.slice(row.k8s_namespace.length + 1)
            : row.name,
        image: row.image,
        labels: row.labels === null ? null : (JSON.parse(row.labels) as Record<string, string>),
        declaredSysctls:
          row.declared_sysctls === null ? null : (JSON.parse(row.declared_sysctls) as Record<string, string>),
        networkMode: row.network_mode,
        pid: row.pid,
        namespace: row.k8s_namespace,
        uid: row.kind === 'pod' ? row.ref : null,
        containers:
          row.containers === null ? null : (JSON.parse(row.containers) as OwnerRecord['containers']),
        firstSeenAt: new Date(row.first_seen_at).toISOString(),
        lastSeenAt: new Date(row.last_seen_at).toISOString(),
      });
      byNamespace.set(row.namespace_id, list);
    }
    return byNamespace;
  }

  /**
   * A page of the settings in force inside a set, in key order: the same composition as
   * composeEffectiveSettings (own value for the owned types' keys, else the host's), decided in SQL so only the
   * page's keys are read and built. Walks ux_keys_name from the cursor and stops after `limit + 1` keys in force.
   */
  async effectiveSettingsPage(request: EffectiveSettingsRequest): Promise<EffectiveSetting[]> {
    const after =
      request.prefix && request.prefix > request.page.cursor ? request.prefix : request.page.cursor;
    const sql = `SELECT k."name", k."scope", k."child_visibility", k."volatile",
           (hv."id" IS NOT NULL OR hx."key_id" IS NOT NULL) AS "in_host",
           CASE WHEN hx."key_id" IS NOT NULL THEN hx."value" ELSE hv."value" END AS "host_value",
           (ov."id" IS NOT NULL OR ox."key_id" IS NOT NULL) AS "in_own",
           CASE WHEN ox."key_id" IS NOT NULL THEN ox."value" ELSE ov."value" END AS "own_value"
      FROM "keys" k ${valueOf('h', ':host')} ${valueOf('o', ':own')}
     WHERE k."name" >= :after AND k."name" <> :cursor AND substr(k."name", 1, length(:prefix)) = :prefix
       AND CASE WHEN k."scope" IN (SELECT "value" FROM json_each(:owned))
                THEN ov."id" IS NOT NULL OR ox."key_id" IS NOT NULL
                ELSE hv."id" IS NOT NULL OR hx."key_id" IS NOT NULL OR ov."id" IS NOT NULL OR ox."key_id" IS NOT NULL END
     ORDER BY k."name" LIMIT :limit`;
    const query = positionalParams(sql, {
      at: request.at,
      host: request.hostId,
      own: request.setId ?? -1,
      owned: JSON.stringify(request.ownTypes),
      after,
      cursor: request.page.cursor,
      prefix: request.prefix ?? '',
      limit: request.page.limit + 1,
    });
    const rows: EffectiveRow[] = await this.dataSource.query(query.sql, query.params);
    const catalog = new Map<string, CatalogEntry>();
    const host = new Map<string, string | null>();
    const own = new Map<string, string | null>();
    for (const r of rows) {
      catalog.set(r.name, {
        scope: r.scope,
        childVisibility: r.child_visibility,
        volatile: r.volatile === 1,
      });
      if (r.in_host) host.set(r.name, r.host_value);
      if (r.in_own && request.setId !== null) own.set(r.name, r.own_value);
    }
    return composeEffectiveSettings(catalog, host, own, request.ownTypes);
  }

  /** How many of the given sets recorded their own reading of each global key at `at`. */
  async globalKeysSeen(ids: readonly number[], at: number): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows: { name: string; n: number }[] = await this.dataSource.query(
      `SELECT k."name", count(*) AS "n" FROM "setting_values" v JOIN "keys" k ON k."id" = v."key_id"
        WHERE v."namespace_id" IN (${ids.map(() => '?').join(', ')}) AND k."scope" = 'global'
          AND v."valid_from" <= ? AND (v."valid_to" IS NULL OR v."valid_to" > ?)
        GROUP BY k."name"`,
      [...ids, at, at],
    );
    return new Map(rows.map((r) => [r.name, r.n]));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock.js';
import {
  composeEffectiveSettings,
  sameSysctlValue,
} from '../../domain/namespaces/compose-effective-settings.js';
import { NAMESPACE_TYPES, type NamespaceType } from '../../domain/namespaces/namespace-types.js';
import { type ResolvedNamespace, resolveNamespace } from '../params/namespace-resolver.js';
import { keyPageParams, pageOf } from '../params/key-page.js';
import { textParam, timeParam } from '../params/request-params.js';
import { loadCatalog, snapshotTimeAt, stateAt } from '../queries/state-at.js';
import type { EffectiveSettingsQuery, NamespacesAtQuery } from './namespaces.queries.js';
import type {
  DeclaredMismatch,
  EffectiveSettingsPage,
  NamespaceDetail,
  NamespaceView,
  OwnerView,
} from './namespace.views.js';
import { effectiveSettingsPage } from './effective-settings.query.js';
import { loadOwners } from './owners.query.js';

/** Namespace sets, their owners and effective settings, from the database only. */
@Injectable()
export class NamespacesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Every set seen by the last snapshot at or before `at`. */
  async list(query: NamespacesAtQuery): Promise<{ at: string; items: NamespaceView[] }> {
    const at = timeParam('at', query.at, this.clock.now()) ?? this.clock.now();
    const seenAt = await snapshotTimeAt(this.dataSource, at);
    if (seenAt === null) return { at: new Date(at).toISOString(), items: [] };
    const sets: ResolvedNamespace[] = await this.dataSource.query(
      `SELECT "id", "identity", "kind", "net_inode" AS "netInode", "ipc_inode" AS "ipcInode", "uts_inode" AS "utsInode",
              "first_seen_at" AS "firstSeenAt", "last_seen_at" AS "lastSeenAt"
         FROM "namespaces" WHERE "first_seen_at" <= ? AND "last_seen_at" >= ?
        ORDER BY "identity" = 'host' DESC, "id"`,
      [seenAt, seenAt],
    );
    const host = await resolveNamespace(this.dataSource, 'host');
    const owners = await loadOwners(
      this.dataSource,
      sets.map((s) => s.id),
      seenAt,
    );
    return {
      at: new Date(at).toISOString(),
      items: sets.map((s) => ({
        ...toView(s, host, owners.get(s.id) ?? []),
        sharesNetWith: sets.filter((o) => o.id !== s.id && o.netInode === s.netInode).map((o) => o.id),
      })),
    };
  }

  async detail(raw: string, query: NamespacesAtQuery): Promise<NamespaceDetail> {
    const at = timeParam('at', query.at, this.clock.now()) ?? this.clock.now();
    const set = await resolveNamespace(this.dataSource, raw, 'ns');
    const host = await resolveNamespace(this.dataSource, 'host');
    const owners = (await loadOwners(this.dataSource, [set.id], null)).get(set.id) ?? [];
    const effective = await this.effectiveValues(set, host, at);
    const peers: { id: number }[] = await this.dataSource.query(
      `SELECT "id" FROM "namespaces" WHERE "net_inode" = ? AND "id" <> ? AND "last_seen_at" >= ?`,
      [set.netInode, set.id, set.lastSeenAt],
    );
    return {
      ...toView(set, host, owners),
      sharesNetWith: peers.map((p) => p.id),
      declaredMismatches: declaredMismatches(owners, effective),
    };
  }

  /** One page of the settings in force inside a set at `at`, in key order. */
  async effectiveSettings(raw: string, query: EffectiveSettingsQuery): Promise<EffectiveSettingsPage> {
    const at = timeParam('at', query.at, this.clock.now()) ?? this.clock.now();
    const prefix = textParam('prefix', query.prefix, 256);
    const page = keyPageParams(query.limit, query.cursor);
    const set = await resolveNamespace(this.dataSource, raw, 'ns');
    const host = await resolveNamespace(this.dataSource, 'host');
    const rows = await effectiveSettingsPage(this.dataSource, {
      hostId: host.id,
      setId: set.id === host.id ? null : set.id,
      ownTypes: differingTypes(set, host),
      at,
      prefix,
      page,
    });
    const { items, nextCursor } = pageOf(rows, page, (s) => s.key);
    return {
      namespace: set.identity,
      at: new Date(at).toISOString(),
      count: items.length,
      items,
      nextCursor,
    };
  }

  async effective(set: ResolvedNamespace, host: ResolvedNamespace, at: number) {
    const [catalog, hostState, ownState] = await Promise.all([
      loadCatalog(this.dataSource),
      stateAt(this.dataSource, host.id, at),
      set.id === host.id
        ? Promise.resolve(new Map<string, string | null>())
        : stateAt(this.dataSource, set.id, at),
    ]);
    return composeEffectiveSettings(catalog, hostState, ownState, differingTypes(set, host));
  }

  private async effectiveValues(
    set: ResolvedNamespace,
    host: ResolvedNamespace,
    at: number,
  ): Promise<Map<string, string | null>> {
    return new Map((await this.effective(set, host, at)).map((s) => [s.key, s.value]));
  }
}

export function differingTypes(set: ResolvedNamespace, host: ResolvedNamespace): NamespaceType[] {
  if (set.id === host.id) return [];
  const inode = (n: ResolvedNamespace, type: NamespaceType): number | null =>
    type === 'net' ? n.netInode : type === 'ipc' ? n.ipcInode : n.utsInode;
  return NAMESPACE_TYPES.filter((type) => inode(set, type) !== inode(host, type));
}

function toView(
  set: ResolvedNamespace,
  host: ResolvedNamespace,
  owners: OwnerView[],
): Omit<NamespaceView, 'sharesNetWith'> {
  const differing = new Set(differingTypes(set, host));
  return {
    id: set.id,
    identity: set.identity,
    kind: set.kind,
    inodes: { net: set.netInode, ipc: set.ipcInode, uts: set.utsInode },
    sharedWithHost: NAMESPACE_TYPES.filter((t) => !differing.has(t)),
    owners,
    firstSeenAt: new Date(set.firstSeenAt).toISOString(),
    lastSeenAt: new Date(set.lastSeenAt).toISOString(),
  };
}

function declaredMismatches(
  owners: readonly OwnerView[],
  effective: ReadonlyMap<string, string | null>,
): DeclaredMismatch[] {
  const mismatches: DeclaredMismatch[] = [];
  for (const owner of owners) {
    for (const [key, declared] of Object.entries(owner.declaredSysctls ?? {})) {
      const value = effective.get(key);
      if (sameSysctlValue(declared, value)) continue;
      mismatches.push({
        container: owner.name,
        key,
        declared,
        effective: value ?? null,
        reason:
          value === undefined
            ? 'the key is not in force in this namespace set'
            : 'the effective value differs from the declared one',
      });
    }
  }
  return mismatches;
}

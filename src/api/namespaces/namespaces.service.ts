import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock.js';
import {
  composeEffectiveSettings,
  sameSysctlValue,
} from '../../domain/namespaces/compose-effective-settings.js';
import { NAMESPACE_TYPES, type NamespaceType } from '../../domain/namespaces/namespace-types.js';
import { pageOf } from '../../domain/paging/key-page.js';
import { NamespacesRepository } from '../../storage/repositories/namespaces.repository.js';
import { StateRepository } from '../../storage/repositories/state.repository.js';
import { NamespaceResolver, type ResolvedNamespace } from '../params/namespace-resolver.js';
import { keyPageOf } from '../params/key-page.query.js';
import type { EffectiveSettingsQuery, NamespacesAtQuery } from './namespaces.queries.js';
import type {
  DeclaredMismatch,
  EffectiveSettingsPage,
  NamespaceDetail,
  NamespaceView,
  OwnerView,
} from './namespace.views.js';

/** Namespace sets, their owners and effective settings, from the database only. */
@Injectable()
export class NamespacesService {
  constructor(
    private readonly repository: NamespacesRepository,
    private readonly state: StateRepository,
    private readonly resolver: NamespaceResolver,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Every set seen by the last snapshot at or before `at`. */
  async list(query: NamespacesAtQuery): Promise<{ at: string; items: NamespaceView[] }> {
    const at = query.at ?? this.clock.now();
    const seenAt = await this.state.snapshotTimeAt(at);
    if (seenAt === null) return { at: new Date(at).toISOString(), items: [] };
    const sets = await this.repository.aliveAt(seenAt);
    const host = await this.resolver.host();
    const owners = await this.repository.owners(
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
    const at = query.at ?? this.clock.now();
    const set = await this.resolver.resolve(raw, 'ns');
    const host = await this.resolver.host();
    const owners = (await this.repository.owners([set.id], null)).get(set.id) ?? [];
    return {
      ...toView(set, host, owners),
      sharesNetWith: await this.repository.netPeers(set),
      declaredMismatches: await this.mismatchesOf(set, host, owners, at),
    };
  }

  /**
   * The detail's `declaredMismatches` of a set at `at` (default now) alone: the incident report's evidence.
   * Reads no values when no owner declares a sysctl (a netns, most containers).
   */
  async declaredMismatches(raw: string, at = this.clock.now()): Promise<DeclaredMismatch[]> {
    const set = await this.resolver.resolve(raw, 'ns');
    const owners = (await this.repository.owners([set.id], null)).get(set.id) ?? [];
    return this.mismatchesOf(set, await this.resolver.host(), owners, at);
  }

  private async mismatchesOf(
    set: ResolvedNamespace,
    host: ResolvedNamespace,
    owners: readonly OwnerView[],
    at: number,
  ): Promise<DeclaredMismatch[]> {
    if (!owners.some((o) => Object.keys(o.declaredSysctls ?? {}).length > 0)) return [];
    // An ended set is judged on its last reading: after its end it has no values, not the host's.
    const judgedAt = set.endedAt === null ? at : Math.min(at, set.lastSeenAt);
    return declaredMismatches(owners, await this.effectiveValues(set, host, judgedAt));
  }

  /** One page of the settings in force inside a set at `at`, in key order. */
  async effectiveSettings(raw: string, query: EffectiveSettingsQuery): Promise<EffectiveSettingsPage> {
    const page = keyPageOf(query);
    const set = await this.resolver.resolve(raw, 'ns');
    // An ended set has no values after its end: asked later, it answers with its last reading (`at` says so).
    const asked = query.at ?? this.clock.now();
    const at = set.endedAt === null ? asked : Math.min(asked, set.lastSeenAt);
    const host = await this.resolver.host();
    const rows = await this.repository.effectiveSettingsPage({
      hostId: host.id,
      setId: set.id === host.id ? null : set.id,
      ownTypes: differingTypes(set, host),
      at,
      prefix: query.prefix,
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
      this.state.catalog(),
      this.state.stateAt(host.id, at),
      set.id === host.id ? Promise.resolve(new Map<string, string | null>()) : this.state.stateAt(set.id, at),
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
    startedAt: new Date(set.startedAt).toISOString(),
    endedAt: set.endedAt === null ? null : new Date(set.endedAt).toISOString(),
    fullReadAt: set.lastFullReadAt == null ? null : new Date(set.lastFullReadAt).toISOString(),
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

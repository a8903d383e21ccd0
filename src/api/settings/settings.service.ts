import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import { kubeletViewOf } from '../../domain/preflight/kubelet-view.js';
import { safeSysctlsFor } from '../../domain/preflight/kubelet-rules.js';
import type { Scope } from '../../domain/sysctl/sysctl-types.js';
import { PreflightRepository } from '../../storage/preflight.repository.js';
import { type SettingRow, SettingsRepository } from '../../storage/repositories/settings.repository.js';
import { rebootBetween } from '../../domain/history/reboot-between.js';
import { BootsRepository } from '../../storage/repositories/boots.repository.js';
import { DriftService } from '../drift/drift.service.js';
import { rebootView } from '../drift/reboot-view.js';
import { NamespaceResolver } from '../params/namespace-resolver.js';
import { orderedWindow } from '../params/request-params.js';
import type { SettingHistoryQuery, SettingsListQuery } from './settings.queries.js';
import type { SettingDetail, SettingHistory, SettingsPage, SettingView } from './setting.views.js';

/** The key catalog with values at an instant, and one key's value history; database reads only. */
@Injectable()
export class SettingsQueryService {
  constructor(
    private readonly repository: SettingsRepository,
    private readonly resolver: NamespaceResolver,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly drift: DriftService,
    private readonly boots: BootsRepository,
    private readonly preflight: PreflightRepository,
  ) {}

  async list(query: SettingsListQuery): Promise<SettingsPage> {
    const at = query.at ?? this.clock.now();
    const namespace = await this.resolver.resolve(query.namespace);
    const rows = await this.repository.list(namespace.id, at, query);
    const items = rows.map((row) => toView(row, at)).filter((item) => item.present);
    return { at: new Date(at).toISOString(), namespace: namespace.identity, count: items.length, items };
  }

  async get(key: string): Promise<SettingDetail> {
    const now = this.clock.now();
    const host = await this.resolver.host();
    const row = await this.repository.one(host.id, now, key);
    if (!row) throw new NotFoundError(`key '${key}' has never been seen`);
    const { kernelRelease } = await this.preflight.defaultsStatus();
    return {
      ...toView(row, now),
      kubelet: kubeletViewOf(row.name, row.scope as Scope, safeSysctlsFor(kernelRelease)),
      firstSeenAt: new Date(row.first_seen_at).toISOString(),
      evidence: row.evidence === null ? null : (JSON.parse(row.evidence) as unknown),
      namespaces: await this.namespaceValues(row, now),
      configured: await this.drift.configured(key),
    };
  }

  /** Sets with their own reading, then those sharing the key's namespace with the host (the host's value). */
  private async namespaceValues(row: SettingRow, at: number) {
    const own = await this.repository.valuesPerNamespace(row.id, at, row.scope);
    if (row.scope !== 'net' && row.scope !== 'ipc' && row.scope !== 'uts') return own;
    const hostValue = own.find((v) => v.namespace === 'host')?.value ?? null;
    const listed = new Set(own.map((v) => v.namespace));
    const sharing = (await this.repository.setsSharingHost(row.scope, at)).filter(
      (s) => !listed.has(s.namespace),
    );
    return [...own, ...sharing.map((s) => ({ ...s, value: hostValue }))];
  }

  async history(key: string, query: SettingHistoryQuery): Promise<SettingHistory> {
    const now = this.clock.now();
    const from = query.from ?? 0;
    const to = query.to ?? now;
    orderedWindow(from, to);
    const keyRow = await this.repository.key(key);
    if (!keyRow) throw new NotFoundError(`key '${key}' has never been seen`);
    const namespace = await this.resolver.resolve(query.namespace);
    const rows = await this.repository.history(namespace.id, keyRow.id, from, to);
    return {
      key,
      namespace: namespace.identity,
      volatile: keyRow.volatile === 1,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      intervals: rows.map((r) => ({
        value: r.value,
        from: new Date(r.valid_from).toISOString(),
        to: r.valid_to === null ? null : new Date(r.valid_to).toISOString(),
        changedAfter: r.changed_after === null ? null : new Date(r.changed_after).toISOString(),
        endedAfter: r.ended_after === null ? null : new Date(r.ended_after).toISOString(),
        atReboot: rebootBetween(r.previous_boot_id, r.boot_id),
      })),
      reboots: (await this.boots.reboots(from, to)).map(rebootView),
    };
  }
}

function toView(row: SettingRow, at: number): SettingView {
  const isVolatile = row.volatile === 1;
  const hasVolatileReading = isVolatile && row.read_at !== null && row.first_seen_at <= at;
  const present =
    row.valid_from !== null || hasVolatileReading || (row.access === 'write-only' && row.first_seen_at <= at);
  const since = isVolatile ? row.read_at : row.valid_from;
  return {
    key: row.name,
    scope: row.scope,
    volatile: isVolatile,
    childVisibility: row.child_visibility,
    classificationSource: row.classification_source,
    access: row.access,
    present,
    value: isVolatile ? row.volatile_value : row.value,
    since: since === null ? null : new Date(since).toISOString(),
  };
}

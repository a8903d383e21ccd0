import { Injectable } from '@nestjs/common';
import { childCounterpartKey } from '../../domain/classification/reconcile-classification.js';
import {
  findNotInherited,
  type NotInherited,
  stillAtDefault,
} from '../../domain/namespaces/not-inherited.js';
import { judgeSysctl } from '../../domain/preflight/judge-sysctl.js';
import { safeSysctlsFor } from '../../domain/preflight/kubelet-rules.js';
import { PreflightRepository } from '../../storage/preflight.repository.js';
import { differingTypes } from '../namespaces/namespaces.service.js';
import { NamespaceResolver } from '../params/namespace-resolver.js';
import type { PreflightBody } from './preflight.dto.js';
import { preflightRequestOf } from './preflight-request.js';
import type {
  NamespaceNotInherited,
  NotInheritedReport,
  PreflightResult,
  SetNotInheritedView,
} from './preflight.views.js';

/** Preflight and "not inherited", answered from the database alone: nothing is written, to the kernel or the file. */
@Injectable()
export class PreflightService {
  constructor(
    private readonly resolver: NamespaceResolver,
    private readonly repository: PreflightRepository,
  ) {}

  async preflight(body: PreflightBody): Promise<PreflightResult> {
    const { request, source } = preflightRequestOf(body);
    const keys = [...request.sysctls.keys()];
    const [{ facts, catalogVisibility }, status] = await Promise.all([
      this.repository.keyFacts([...keys, ...keys.map(childCounterpartKey)]),
      this.repository.defaultsStatus(),
    ]);
    const kernel = {
      kernelRelease: status.kernelRelease,
      probed: status.keys > 0,
      keys: facts,
      catalogVisibility,
    };
    const safe = safeSysctlsFor(status.kernelRelease);
    const items = keys.map((key) => judgeSysctl(key, request.sysctls.get(key) ?? '', request, kernel, safe));
    const shared = new Set([
      ...(request.network === 'host' ? ['net'] : []),
      ...(request.ipc === 'host' ? ['ipc'] : []),
    ]);
    const notInherited = findNotInherited(await this.repository.defaultRows())
      .filter((n) => !request.sysctls.has(n.key) && !shared.has(n.scope))
      .map(({ key, scope, host, container }) => ({ key, scope, host, container }));
    const notes: string[] = [];
    if (status.keys === 0) {
      notes.push(
        'no probe of this kernel is stored yet (the agent probes at start, as root): visibility and defaults are unknown',
      );
    }
    if (request.runtime === 'kubernetes') {
      notes.push(
        'kubelet verdicts assume no --allowed-unsafe-sysctls; the container runtime is assumed to be runc',
      );
    }
    if (request.runtime === 'docker') {
      notes.push(
        'docker run applies the CLI allowlist; Docker Compose and the Engine API do not (runtime "compose")',
      );
    }
    return {
      source,
      runtime: request.runtime,
      network: request.network,
      ipc: request.ipc,
      kernelRelease: status.kernelRelease,
      rejected: items.some((i) => i.verdict === 'rejected'),
      items,
      notInherited,
      notes,
    };
  }

  /** What a new container gets, and the running sets still at the kernel default where the host is tuned. */
  async notInheritedReport(): Promise<NotInheritedReport> {
    const [status, keys, sets, host] = await Promise.all([
      this.repository.defaultsStatus(),
      this.notInherited(),
      this.repository.runningSets(),
      this.resolver.host(),
    ]);
    const reports: SetNotInheritedView[] = [];
    for (const set of sets) {
      const found = await this.stillAtDefault(set, host, keys);
      if (found.length > 0)
        reports.push({ id: set.id, namespace: set.identity, owners: set.owners, keys: found });
    }
    return {
      kernelRelease: status.kernelRelease,
      probedAt: status.probedAt === null ? null : new Date(status.probedAt).toISOString(),
      keys,
      sets: reports,
    };
  }

  async forNamespace(raw: string): Promise<NamespaceNotInherited> {
    const set = await this.resolver.resolve(raw, 'ns');
    const host = await this.resolver.host();
    return { namespace: set.identity, keys: await this.stillAtDefault(set, host, await this.notInherited()) };
  }

  private async notInherited(): Promise<NotInherited[]> {
    return findNotInherited(await this.repository.defaultRows());
  }

  private async stillAtDefault(
    set: Parameters<typeof differingTypes>[0],
    host: Parameters<typeof differingTypes>[1],
    keys: readonly NotInherited[],
  ) {
    const own = new Set<string>(differingTypes(set, host));
    const relevant = keys.filter((k) => own.has(k.scope));
    if (relevant.length === 0) return [];
    const values = await this.repository.currentValues(
      set.id,
      relevant.map((k) => k.key),
    );
    return stillAtDefault(relevant, own, values);
  }
}

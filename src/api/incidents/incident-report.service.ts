import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock.js';
import { buildTimeline } from '../../domain/correlation/build-timeline.js';
import { configDriftEvidence } from '../../domain/correlation/config-drift-evidence.js';
import type { Evidence, KeyFacts } from '../../domain/correlation/evidence-types.js';
import { rankTopSuspects } from '../../domain/correlation/rank-suspects.js';
import { tightenChangeIntervals } from '../../domain/correlation/tighten-change-intervals.js';
import { isLimitKey } from '../../domain/limits/usage-pairs.js';
import { BaselineDiffService } from '../baselines/baseline-diff.service.js';
import { NamespacesService } from '../namespaces/namespaces.service.js';
import {
  type EvidenceScope,
  IncidentEvidenceRepository,
} from '../../storage/repositories/incident-evidence.repository.js';
import { DriftRepository } from '../../storage/repositories/drift.repository.js';
import { NamespacesRepository } from '../../storage/repositories/namespaces.repository.js';
import { StateRepository } from '../../storage/repositories/state.repository.js';
import { NamespaceResolver } from '../params/namespace-resolver.js';
import {
  DEFAULT_LOOKBACK_MS,
  DEFAULT_REPORT_SUSPECTS,
  type IncidentReportQuery,
  MAX_REPORT_SUSPECTS,
} from './incident.dto.js';
import type { IncidentReport } from './incident.views.js';
import { IncidentsService, toIncidentView } from './incidents.service.js';

/**
 * The incident report: every recorded piece of evidence in the window (changes from the lookback on),
 * grouped by key and ranked (src/domain/correlation). Reads the database only, so it works on a copy.
 */
@Injectable()
export class IncidentReportService {
  constructor(
    private readonly evidenceOf: IncidentEvidenceRepository,
    private readonly state: StateRepository,
    private readonly sets: NamespacesRepository,
    private readonly resolver: NamespaceResolver,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly incidents: IncidentsService,
    private readonly namespaces: NamespacesService,
    private readonly baselines: BaselineDiffService,
    private readonly drift: DriftRepository,
  ) {}

  async report(id: number, query: IncidentReportQuery): Promise<IncidentReport> {
    const lookback = query.lookback ?? DEFAULT_LOOKBACK_MS;
    const limit = query.limit ?? DEFAULT_REPORT_SUSPECTS;
    const row = await this.incidents.row(id);
    const host = await this.resolver.host();
    const to = row.ended_at ?? Math.max(this.clock.now(), row.started_at);
    const scoped = row.namespace_id !== null && row.namespace_id !== host.id;
    const scope: EvidenceScope = {
      namespaceIds: row.namespace_id === null ? await this.sets.allIds() : [row.namespace_id],
      hostId: host.id,
      hostGlobalOnly: scoped,
      from: row.started_at - lookback,
      to,
    };
    const changed = await this.evidenceOf.changes(scope);
    const kernelEvents = await this.evidenceOf.kernelEvents(scope);
    const evidence: Evidence[] = [
      ...tightenChangeIntervals(changed.changes, kernelEvents),
      ...(await this.evidenceOf.saturation(scope)),
      ...kernelEvents,
      ...(scoped && row.identity ? await this.declaredMismatches(row.identity) : []),
    ];
    evidence.push(...(await this.configDrift(scope.from, to, evidence)));
    if (query.baseline)
      evidence.push(...(await this.baselineDrift(query.baseline, row.started_at, evidence)));
    const facts = await this.withFactsOf(
      evidence.map((e) => e.key),
      changed.facts,
    );
    const containerScoped = scoped && (await this.sets.hasContainer(row.namespace_id ?? 0));
    const { suspects, total } = rankTopSuspects(
      evidence,
      facts,
      { namespace: scoped ? row.identity : null, containerScoped },
      limit,
    );
    const notes: string[] = [];
    if (suspects.length === 0)
      notes.push('no recorded change, saturation or kernel event explains this window');
    if (total > limit) {
      const more =
        limit < MAX_REPORT_SUSPECTS ? `; ask for more with limit (at most ${MAX_REPORT_SUSPECTS})` : '';
      notes.push(`the ${limit} highest of ${total} suspects${more}`);
    }
    if (query.baseline) {
      notes.push(
        `baseline '${query.baseline}': drift counts for limit keys and keys with other evidence only`,
      );
    }
    return {
      incident: toIncidentView(row),
      window: {
        from: new Date(row.started_at).toISOString(),
        to: new Date(to).toISOString(),
        lookbackFrom: new Date(scope.from).toISOString(),
      },
      suspects: suspects.map((s, i) => ({
        rank: i + 1,
        ...s,
        kinds: [...s.kinds],
        evidence: [...s.evidence],
      })),
      suspectCount: total,
      timeline: buildTimeline(suspects.flatMap((s) => s.evidence)).map((e) => ({
        ...e,
        from: e.from === null ? null : new Date(e.from).toISOString(),
        to: new Date(e.to).toISOString(),
      })),
      notes,
    };
  }

  /**
   * Keys of this host that differ from the baseline at the incident's start. Two hosts differ in hundreds of
   * harmless keys, so drift counts only for limits (the limit side of a usage pair) and for keys that
   * already carry other evidence.
   */
  private async baselineDrift(name: string, at: number, other: readonly Evidence[]): Promise<Evidence[]> {
    const diff = await this.baselines.diff(name, { at });
    const implicated = new Set(other.map((e) => e.key));
    return diff.entries
      .filter((entry) => isLimitKey(entry.key) || implicated.has(entry.key))
      .map((entry) => ({
        kind: 'baseline-drift',
        key: entry.key,
        baseline: name,
        here: entry.here,
        there: entry.baseline,
      }));
  }

  /** `known` plus the scope and visibility of the other keys with evidence (not the whole catalog). */
  private async withFactsOf(
    keys: readonly string[],
    known: Map<string, KeyFacts>,
  ): Promise<Map<string, KeyFacts>> {
    const missing = [...new Set(keys.filter((key) => !known.has(key)))];
    if (missing.length === 0) return known;
    for (const [name, facts] of await this.state.keyFacts(missing)) known.set(name, facts);
    return known;
  }

  /**
   * Host keys whose runtime value was not what the boot configuration sets, during the window: limit keys and
   * keys with other evidence only (src/domain/correlation/config-drift-evidence.ts).
   */
  private async configDrift(from: number, to: number, other: readonly Evidence[]): Promise<Evidence[]> {
    const rows = await this.drift.overlapping(from, to);
    const periods = rows.map((r) => ({
      key: r.key,
      runtime: r.runtime,
      configured: r.configured,
      source: { file: r.source_file, line: r.source_line },
      since: r.valid_from,
      until: r.valid_to,
      unknownToKernel: r.unknown_to_kernel === 1,
      atReboot: r.at_reboot === 1,
    }));
    return configDriftEvidence(periods, from, to, new Set(other.map((e) => e.key)));
  }

  private async declaredMismatches(identity: string): Promise<Evidence[]> {
    const detail = await this.namespaces.detail(identity, {});
    return detail.declaredMismatches.map((m) => ({
      kind: 'declared-mismatch',
      key: m.key,
      container: m.container,
      declared: m.declared,
      effective: m.effective,
    }));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock.js';
import { buildTimeline } from '../../domain/correlation/build-timeline.js';
import { configDriftEvidence } from '../../domain/correlation/config-drift-evidence.js';
import type { Evidence, KeyFacts, KeyValues } from '../../domain/correlation/evidence-types.js';
import {
  explainSuspects,
  scoreSuspects,
  withChangeEvidence,
} from '../../domain/correlation/rank-suspects.js';
import { scoreChangeRows } from '../../domain/correlation/score-change-rows.js';
import {
  deriveOwnValues,
  type OwnValueReferences,
  ownValueTargets,
  type SetValue,
  targetId,
} from '../../domain/correlation/derive-own-values.js';
import { canonicalKey } from '../../domain/correlation/limit-keys.js';
import { baselineValues, selectBaselineDrift } from '../../domain/correlation/select-baseline-drift.js';
import { tightenChangeIntervals } from '../../domain/correlation/tighten-change-intervals.js';
import type { CatalogEntry } from '../../domain/namespaces/compose-effective-settings.js';
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
    const allIds = await this.sets.allIds();
    const scope: EvidenceScope = {
      namespaceIds: row.namespace_id === null ? allIds : [row.namespace_id],
      hostId: host.id,
      hostGlobalOnly: scoped,
      from: row.started_at - lookback,
      to,
    };
    const notes: string[] = [];
    const readAt = await this.readingTime(row.started_at, notes);
    // Usage and counters of every set: another set's evidence on a global limit names a co-consumer.
    const everySet: EvidenceScope = { ...scope, namespaceIds: allIds, hostGlobalOnly: false };
    const changed = await this.evidenceOf.changes(scope);
    // Changes stay rows until the suspects are ranked (change-rows.ts); the other evidence is a few hundred items.
    const changes = scoreChangeRows(changed.rows, row.started_at);
    const changedKeys = changed.rows.keys.map((key) => ({ key }));
    const kernelEvents = await this.evidenceOf.kernelEvents(scope);
    const evidence: Evidence[] = [
      ...(await this.evidenceOf.saturation(everySet)),
      ...(await this.evidenceOf.counters(everySet)),
      ...kernelEvents,
      ...(scoped && row.identity ? await this.declaredMismatches(row.identity) : []),
    ];
    evidence.push(...(await this.configDrift(scope.from, to, [...changedKeys, ...evidence])));
    let facts = await this.withFactsOf([...changed.rows.keys, ...evidence.map((e) => e.key)], changed.facts);
    const drift =
      query.baseline && readAt !== null ? await this.baselines.driftAt(query.baseline, readAt) : null;
    if (query.baseline && readAt === null)
      notes.push(`baseline '${query.baseline}' not compared: no snapshot yet`);
    const baseline = drift ? { name: query.baseline ?? '', values: baselineValues(drift.entries) } : null;
    if (readAt !== null) evidence.push(...(await this.ownValues(evidence, facts, host.id, readAt, baseline)));
    if (drift) {
      evidence.push(
        ...selectBaselineDrift(drift.entries, query.baseline ?? '', [...changedKeys, ...evidence]),
      );
      notes.push(
        `baseline '${query.baseline}' compared at ${new Date(readAt ?? 0).toISOString()}: drift counts for global keys, limit keys and keys with other evidence`,
      );
    }
    facts = await this.withFactsOf(
      [...changed.rows.keys, ...evidence.map((e) => e.key)],
      facts,
      drift?.catalog,
    );
    const containerScoped = scoped && (await this.sets.hasContainer(row.namespace_id ?? 0));
    const context = { namespace: scoped ? row.identity : null, containerScoped, startedAt: row.started_at };
    // Values in force are read for the ranked suspects only (a host-wide window implicates hundreds of keys).
    const scored = scoreSuspects(evidence, facts, context, changes);
    const top = withChangeEvidence(scored.slice(0, limit), changes, (returned) =>
      tightenChangeIntervals(returned, kernelEvents),
    );
    const values =
      readAt === null
        ? new Map<string, KeyValues>()
        : await this.keyValues(
            top.map((suspect) => suspect.key),
            row.namespace_id,
            host.id,
            readAt,
          );
    const suspects = explainSuspects(top, context, values);
    const total = scored.length;
    if (suspects.length === 0)
      notes.push('no recorded change, saturation, counter, own value or kernel event explains this window');
    if (total > limit) {
      const more =
        limit < MAX_REPORT_SUSPECTS ? `; ask for more with limit (at most ${MAX_REPORT_SUSPECTS})` : '';
      notes.push(`the ${limit} highest of ${total} suspects${more}`);
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
   * When to read the values in force: the incident's start, or the first snapshot when the incident predates
   * it (said in `notes`); null before any snapshot.
   */
  private async readingTime(startedAt: number, notes: string[]): Promise<number | null> {
    const firstAt = await this.evidenceOf.firstSnapshotAt();
    if (firstAt === null) {
      notes.push('no snapshot has been taken yet: nothing recorded can explain this window');
      return null;
    }
    if (startedAt < firstAt) {
      notes.push(
        `the incident starts before the agent's first snapshot (${new Date(firstAt).toISOString()}): values in force before it are unknown, so the report reads that snapshot's values and what was recorded from it on`,
      );
    }
    return Math.max(startedAt, firstAt);
  }

  /** Own-value evidence for the namespaced limits behind a set's symptoms (derive-own-values.ts). */
  private async ownValues(
    evidence: readonly Evidence[],
    facts: ReadonlyMap<string, KeyFacts>,
    hostId: number,
    at: number,
    baseline: OwnValueReferences['baseline'],
  ): Promise<Evidence[]> {
    const targets = ownValueTargets(evidence, facts);
    if (targets.length === 0) return [];
    const keys = [...new Set(targets.map((t) => t.key))];
    const ids = await this.evidenceOf.idsOf([...new Set(targets.map((t) => t.namespace))]);
    const rows = await this.evidenceOf.valuesAt([...ids.keys(), hostId], keys, at);
    const setValues = new Map<string, SetValue>();
    const hostValues = new Map<string, string | null>();
    for (const r of rows) {
      if (r.namespaceId === hostId) hostValues.set(r.key, r.value);
      const identity = ids.get(r.namespaceId);
      if (identity) setValues.set(targetId(identity, r.key), r);
    }
    const fresh = await this.evidenceOf.freshValues(keys);
    return deriveOwnValues(targets, { setValues, host: hostValues, fresh, baseline });
  }

  /** The value in force at `at` of each key, in the incident's set and on the host. */
  private async keyValues(
    keys: readonly string[],
    setId: number | null,
    hostId: number,
    at: number,
  ): Promise<Map<string, KeyValues>> {
    const here = setId ?? hostId;
    const rows = await this.evidenceOf.valuesAt([...new Set([here, hostId])], keys, at);
    const values = new Map<string, KeyValues>();
    for (const key of keys) {
      values.set(key, {
        here: rows.find((r) => r.key === key && r.namespaceId === here)?.value ?? null,
        host: rows.find((r) => r.key === key && r.namespaceId === hostId)?.value ?? null,
      });
    }
    return values;
  }

  /**
   * `known` plus the scope and visibility of the other keys with evidence (not the whole catalog), from
   * `catalog` when the report has read it already (a baseline comparison), else from the keys table.
   */
  private async withFactsOf(
    keys: readonly string[],
    known: Map<string, KeyFacts>,
    catalog?: ReadonlyMap<string, CatalogEntry>,
  ): Promise<Map<string, KeyFacts>> {
    let missing = [...new Set(keys.map(canonicalKey).filter((key) => !known.has(key)))];
    if (catalog) {
      for (const key of missing) {
        const entry = catalog.get(key);
        if (entry) known.set(key, { scope: entry.scope, childVisibility: entry.childVisibility });
      }
      missing = missing.filter((key) => !known.has(key));
    }
    if (missing.length === 0) return known;
    for (const [name, facts] of await this.state.keyFacts(missing)) known.set(name, facts);
    return known;
  }

  /**
   * Host keys whose runtime value was not what the boot configuration sets, during the window: limit keys and
   * keys with other evidence only (src/domain/correlation/config-drift-evidence.ts).
   */
  private async configDrift(
    from: number,
    to: number,
    other: readonly { readonly key: string }[],
  ): Promise<Evidence[]> {
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
    const mismatches = await this.namespaces.declaredMismatches(identity);
    return mismatches.map((m) => ({
      kind: 'declared-mismatch',
      key: m.key,
      container: m.container,
      declared: m.declared,
      effective: m.effective,
    }));
  }
}

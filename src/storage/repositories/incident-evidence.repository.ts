import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChangeRowsBuilder, type ChangeRows } from '../../domain/correlation/change-rows.js';
import type {
  CounterEvidence,
  KernelEventEvidence,
  KeyFacts,
  SaturationEvidence,
} from '../../domain/correlation/evidence-types.js';
import { isCounterMetric, LIMIT_METRICS, limitKeyOfMetric } from '../../domain/limits/limit-metrics.js';
import type { ChildVisibility, Scope } from '../../domain/sysctl/sysctl-types.js';
import { burstMagnitudes } from '../burst-magnitudes.js';
import { namespaceByNetInodeSql } from '../namespace-by-net-inode.js';
import { ownerNamesOf, ownerNamesSql } from '../owner-names.js';
import { dataVersion, VersionedCache } from '../data-version.js';
import { iterateRawRows } from '../raw-rows.js';

export interface EvidenceScope {
  /** Namespace sets whose own changes and samples count. */
  readonly namespaceIds: readonly number[];
  /** The host set: only its global keys count when the incident is scoped to another set. */
  readonly hostId: number;
  readonly hostGlobalOnly: boolean;
  readonly from: number;
  readonly to: number;
}

interface SampleRow {
  identity: string;
  owners: string | null;
  metric: string;
  usage: number;
  limit_value: number;
  taken_at: number;
}

/** A usage series is evidence from this ratio up ("near or at its limit"). */
export const SATURATION_FLOOR = 0.8;

/** The condition of ix_usage_samples_saturated (migration 1764490000000), with the floor as its literal. */
export const SATURATED_SQL = `s."limit_value" > 0 AND s."usage" / s."limit_value" >= ${SATURATION_FLOOR}`;

/**
 * The SQL of changesIn for `setCount` namespace ids; parameters: the ids, from, to, then the host's id, whether
 * only its global keys count, and its id again. A window of a whole host has thousands of changes over 51
 * sets: the rows are read one at a time as arrays (iterateRawRows) and carry ids, not names (a string per row
 * was most of a report's garbage); each key's name and facts are read once, by id (KEYS_BY_ID_SQL).
 */
export function changesSql(setCount: number): string {
  return `SELECT v."namespace_id" AS "nsid", v."key_id" AS "keyId", o."value" AS "before", v."value" AS "after",
                v."valid_from" AS "at", v."changed_after" AS "changedAfter"
           FROM "setting_values" v
           JOIN "setting_values" o ON o."namespace_id" = v."namespace_id" AND o."key_id" = v."key_id" AND o."valid_to" = +v."valid_from"
           JOIN "keys" k ON k."id" = v."key_id"
          WHERE v."namespace_id" IN (${Array.from({ length: setCount }, () => '?').join(', ')})
            AND v."valid_from" > ? AND v."valid_from" <= ? AND k."volatile" = 0
            AND (v."namespace_id" = ? OR k."scope" <> 'global')
            AND NOT (? AND v."namespace_id" = ? AND k."scope" <> 'global')`;
}

/** The name and facts of the keys whose ids are the JSON array parameter. */
export const KEYS_BY_ID_SQL = `SELECT k."id", k."name", k."scope", k."child_visibility" FROM "keys" k
  WHERE k."id" IN (SELECT "value" FROM json_each(?))`;

const SAMPLE_SELECT = `SELECT n."identity", s."metric", s."usage", s."limit_value", s."taken_at",
        ${ownerNamesSql('n."id"')} AS "owners"
      FROM "usage_samples" s JOIN "namespaces" n ON n."id" = s."namespace_id"`;

/**
 * The SQL of the window's saturated samples for `metricCount` metrics and `setCount` namespace ids;
 * parameters: the metrics, the ids, from, to.
 */
export function saturatedSamplesSql(metricCount: number, setCount: number): string {
  const list = (n: number): string => Array.from({ length: n }, () => '?').join(', ');
  return `${SAMPLE_SELECT} WHERE s."metric" IN (${list(metricCount)}) AND s."namespace_id" IN (${list(setCount)})
          AND s."taken_at" > ? AND s."taken_at" <= ? AND ${SATURATED_SQL}`;
}

/** A row of changesSql, in its column order. */
type ChangeRow = [
  nsid: number,
  keyId: number,
  before: string | null,
  after: string | null,
  at: number,
  changedAfter: number | null,
];

const PLACES_SQL = `SELECT n."id", n."identity", ${ownerNamesSql('n."id"')} AS "owners"
  FROM "namespaces" n WHERE n."id" IN (SELECT "value" FROM json_each(?))`;

/** Windows of changes kept for their data version (a client asking one report again, with another limit…). */
const CACHED_WINDOWS = 4;
/** Larger reads are not kept (~32 bytes a change): a month of a whole host is ~250,000. */
const CACHED_CHANGES_MAX = 50_000;

interface KeyRow {
  readonly name: string;
  readonly scope: Scope;
  readonly childVisibility: ChildVisibility | null;
}

interface Place {
  readonly namespace: string;
  readonly owners: readonly string[];
}

/** The evidence an incident report ranks: changes, saturations and kernel events in a window. */
@Injectable()
export class IncidentEvidenceRepository {
  private readonly recentChanges = new VersionedCache<{
    rows: ChangeRows;
    facts: ReadonlyMap<string, KeyFacts>;
  }>(CACHED_WINDOWS);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Value changes (not first appearances) of non-volatile keys in (from, to]: the host's namespaced keys do not
   * bind another set (an incident scoped to one), another set's global keys only mirror the host's. The `+`
   * keeps SQLite from carrying the window's range over to the previous value's `valid_to` (EXPLAIN: a range
   * scan of every value that closed in the window, for each change) so it looks that value up by namespace, end
   * and key instead. Names, owners and key facts are read once per set and per key; the changes are columns
   * (change-rows.ts: no object per change); the facts are returned too (a report's other evidence names a
   * handful of keys, these hundreds).
   */
  changes(scope: EvidenceScope): Promise<{ rows: ChangeRows; facts: Map<string, KeyFacts> }> {
    const ids = [...new Set([...scope.namespaceIds, scope.hostId])];
    // Read synchronously (no other statement runs in between), after the data version that keys the cache.
    const version = dataVersion(this.dataSource);
    const cacheKey = JSON.stringify([ids, scope.from, scope.to, scope.hostId, scope.hostGlobalOnly]);
    const read = this.recentChanges.get(version, cacheKey) ?? this.readChanges(ids, scope);
    if (read.rows.count <= CACHED_CHANGES_MAX) this.recentChanges.set(version, cacheKey, read);
    return Promise.resolve({ rows: read.rows, facts: new Map(read.facts) });
  }

  private readChanges(
    ids: readonly number[],
    scope: EvidenceScope,
  ): { rows: ChangeRows; facts: ReadonlyMap<string, KeyFacts> } {
    const places = this.placesOf(ids);
    const builder = new ChangeRowsBuilder();
    // Indexes into the rows' places and keys, given on first use (only sets and keys with a change); the keys'
    // names and facts are read once the rows are (ids in the rows: no string per row).
    const placeIndex = new Map<number, number>();
    const keyIndex = new Map<number, number>();
    const params = [...ids, scope.from, scope.to, scope.hostId, scope.hostGlobalOnly ? 1 : 0, scope.hostId];
    for (const row of iterateRawRows(this.dataSource, changesSql(ids.length), params)) {
      const [nsid, keyId, before, after, at, changedAfter] = row as ChangeRow;
      let place = placeIndex.get(nsid);
      if (place === undefined) {
        const found = places.get(nsid);
        if (!found) continue; // not possible in one synchronous read; kept for safety
        place = builder.addPlace(found);
        placeIndex.set(nsid, place);
      }
      let key = keyIndex.get(keyId);
      if (key === undefined) {
        key = keyIndex.size;
        keyIndex.set(keyId, key);
      }
      builder.add(place, key, before, after, at, changedAfter);
    }
    const keys = new Map<number, KeyRow>();
    for (const row of iterateRawRows(this.dataSource, KEYS_BY_ID_SQL, [
      JSON.stringify([...keyIndex.keys()]),
    ])) {
      const [id, name, keyScope, childVisibility] = row as [number, string, Scope, ChildVisibility | null];
      keys.set(id, { name, scope: keyScope, childVisibility });
    }
    const facts = new Map<string, KeyFacts>();
    for (const keyId of keyIndex.keys()) {
      // The rows join the keys table in the same synchronous read: every key is there.
      const found = keys.get(keyId) ?? { name: `#${keyId}`, scope: 'global' as Scope, childVisibility: null };
      builder.addKey(found.name);
      facts.set(found.name, { scope: found.scope, childVisibility: found.childVisibility });
    }
    return { rows: builder.build(), facts };
  }

  /** Each set's identity and the names of the containers and netns that own it. */
  private placesOf(ids: readonly number[]): Map<number, Place> {
    const places = new Map<number, Place>();
    const rows = iterateRawRows(this.dataSource, PLACES_SQL, [JSON.stringify(ids)]);
    for (const row of rows) {
      const [id, identity, owners] = row as [number, string, string | null];
      places.set(id, { namespace: identity, owners: ownerNamesOf(owners) });
    }
    return places;
  }

  /**
   * The highest ratio of every usage series in the window (the sample in force at `from` included: samples
   * are stored change-only), when it reaches the saturation floor. Counters (`*.total`) are not saturations.
   */
  async saturation(scope: EvidenceScope): Promise<SaturationEvidence[]> {
    const ids = [...new Set([...scope.namespaceIds, ...(scope.hostGlobalOnly ? [] : [scope.hostId])])];
    if (ids.length === 0) return [];
    // Level metrics only: the window's own samples at or above the floor, from ix_usage_samples_saturated
    // (which holds only those: a live host's gauges move every minute, and a day of 51 sets is ~16,000
    // samples; its condition is this one, written out, so SQLite can use it), then one seek per series
    // (metric × set) on ix_usage_samples_series for the sample in force at `from` (samples are stored
    // change-only).
    const metrics = LIMIT_METRICS.map((m) => m.metric).filter((m) => !isCounterMetric(m));
    const rows: SampleRow[] = await this.dataSource.query(saturatedSamplesSql(metrics.length, ids.length), [
      ...metrics,
      ...ids,
      scope.from,
      scope.to,
    ]);
    rows.push(
      ...((await this.dataSource.query(
        `WITH m("metric") AS (SELECT value FROM json_each(?)), ns("id") AS (SELECT value FROM json_each(?))
         ${SAMPLE_SELECT} WHERE s."limit_value" > 0 AND s."id" IN (
           SELECT (SELECT x."id" FROM "usage_samples" x
                    WHERE x."metric" = m."metric" AND x."namespace_id" = ns."id" AND x."taken_at" <= ?
                    ORDER BY x."taken_at" DESC LIMIT 1)
             FROM m, ns)`,
        [JSON.stringify(metrics), JSON.stringify(ids), scope.from],
      )) as SampleRow[]),
    );
    const best = new Map<string, SaturationEvidence>();
    for (const r of rows) {
      const ratio = r.usage / r.limit_value;
      const key = limitKeyOf(r.metric);
      if (ratio < SATURATION_FLOOR || !key) continue;
      const id = `${r.identity}\u0000${r.metric}`;
      const current = best.get(id);
      if (current && (current.ratio > ratio || (current.ratio === ratio && current.at <= r.taken_at)))
        continue;
      best.set(id, {
        kind: 'saturated',
        key,
        metric: r.metric,
        namespace: r.identity,
        owners: ownerNamesOf(r.owners),
        usage: r.usage,
        limit: r.limit_value,
        ratio,
        at: r.taken_at,
      });
    }
    return [...best.values()];
  }

  /**
   * How much each failure counter (`*.total`) rose in the window, per set: the last reading in (from, to]
   * minus the reading in force at `from` (or the window's first one when none was taken before). Counters are
   * stored change-only, so the rise happened between those two readings; a counter that went down was reset
   * (a new namespace) and counts from zero.
   */
  async counters(scope: EvidenceScope): Promise<CounterEvidence[]> {
    const ids = [...new Set([...scope.namespaceIds, scope.hostId])];
    const metrics = LIMIT_METRICS.map((m) => m.metric).filter(isCounterMetric);
    // Three index seeks per series (metric × set) on (metric, namespace_id, taken_at): the reading in force at
    // `from`, the window's first and its last. A busy counter changes every snapshot; only these rows reach JS.
    const pick = (where: string, order: 'ASC' | 'DESC'): string =>
      `(SELECT x."id" FROM "usage_samples" x WHERE x."metric" = m."metric" AND x."namespace_id" = ns."id"
           AND ${where} ORDER BY x."taken_at" ${order} LIMIT 1)`;
    const rows: {
      nsid: number;
      metric: string;
      usage: number;
      limit_value: number;
      taken_at: number;
      role: string;
    }[] = await this.dataSource.query(
      `WITH m("metric") AS (SELECT value FROM json_each(?)), ns("id") AS (SELECT value FROM json_each(?)),
              picked("id", "role") AS (
                SELECT ${pick('x."taken_at" <= ?', 'DESC')}, 'before' FROM m, ns
                UNION ALL SELECT ${pick('x."taken_at" > ? AND x."taken_at" <= ?', 'ASC')}, 'first' FROM m, ns
                UNION ALL SELECT ${pick('x."taken_at" > ? AND x."taken_at" <= ?', 'DESC')}, 'last' FROM m, ns)
         SELECT s."namespace_id" AS "nsid", s."metric", s."usage", s."limit_value", s."taken_at", p."role"
           FROM picked p JOIN "usage_samples" s ON s."id" = p."id"`,
      [JSON.stringify(metrics), JSON.stringify(ids), scope.from, scope.from, scope.to, scope.from, scope.to],
    );
    const series = new Map<string, Partial<Record<string, (typeof rows)[number]>>>();
    for (const r of rows) {
      const id = `${r.nsid}\u0000${r.metric}`;
      series.set(id, { ...series.get(id), [r.role]: r });
    }
    const rising: { start: (typeof rows)[number]; end: (typeof rows)[number]; increase: number }[] = [];
    for (const found of series.values()) {
      const start = found.before ?? found.first;
      const end = found.last;
      if (!start || !end || start.taken_at === end.taken_at) continue;
      const increase = end.usage >= start.usage ? end.usage - start.usage : end.usage;
      if (increase > 0) rising.push({ start, end, increase });
    }
    if (rising.length === 0) return [];
    const places = this.placesOf([...new Set(rising.map((r) => r.end.nsid))]);
    const evidence: CounterEvidence[] = [];
    for (const { start, end, increase } of rising) {
      const key = limitKeyOfMetric(end.metric);
      const place = places.get(end.nsid);
      if (!key || !place) continue;
      const from = Math.max(start.taken_at, scope.from);
      evidence.push({
        kind: 'overflowed',
        key,
        metric: end.metric,
        ...place,
        increase,
        perSecond: increase / Math.max(1, (end.taken_at - from) / 1000),
        limit: end.limit_value,
        from,
        at: end.taken_at,
      });
    }
    return evidence.sort(
      (a, b) => a.at - b.at || a.metric.localeCompare(b.metric) || a.namespace.localeCompare(b.namespace),
    );
  }

  /**
   * The values of `keys` in force at `at` in the given sets, with since when each is in force: one seek per
   * (set, key) on ix_setting_values_history for the last value opened at or before `at` (a range over the
   * set's whole history would grow with it), and one for whether an earlier value exists. A set first seen
   * after `at` (a container started, or one that replaced another, during the incident) is read when it was
   * first seen: its values then are the ones it ran with, never another set's.
   */
  async valuesAt(
    namespaceIds: readonly number[],
    keys: readonly string[],
    at: number,
  ): Promise<ValueInForce[]> {
    if (namespaceIds.length === 0 || keys.length === 0) return [];
    const rows: {
      nsid: number;
      name: string;
      value: string | null;
      since: number;
      until: number | null;
      earlier: number;
      at: number;
    }[] = await this.dataSource.query(
      `WITH k("id", "name") AS (SELECT "id", "name" FROM "keys" WHERE "name" IN (SELECT value FROM json_each(?))),
            ns("id", "at") AS (SELECT n."id", max(?, n."first_seen_at") FROM "namespaces" n
                                WHERE n."id" IN (SELECT value FROM json_each(?)))
       SELECT v."namespace_id" AS "nsid", k."name", v."value", v."valid_from" AS "since", v."valid_to" AS "until",
              ns."at" AS "at",
              EXISTS (SELECT 1 FROM "setting_values" o WHERE o."namespace_id" = v."namespace_id"
                        AND o."key_id" = v."key_id" AND o."valid_from" < v."valid_from") AS "earlier"
         FROM ns, k JOIN "setting_values" v ON v."id" = (
           SELECT x."id" FROM "setting_values" x
            WHERE x."namespace_id" = ns."id" AND x."key_id" = k."id" AND x."valid_from" <= ns."at"
            ORDER BY x."valid_from" DESC LIMIT 1)`,
      [JSON.stringify(keys), at, JSON.stringify(namespaceIds)],
    );
    return rows
      .filter((r) => r.until === null || r.until > r.at)
      .map((r) => ({
        namespaceId: r.nsid,
        key: r.name,
        value: r.value,
        since: r.since,
        first: r.earlier === 0,
      }));
  }

  /** What a fresh namespace gets for each key (table namespace_defaults, from the start-up probe). */
  async freshValues(keys: readonly string[]): Promise<Map<string, string | null>> {
    if (keys.length === 0) return new Map();
    const rows: { key: string; value: string | null }[] = await this.dataSource.query(
      `SELECT "key", "value" FROM "namespace_defaults" WHERE "key" IN (SELECT value FROM json_each(?))`,
      [JSON.stringify(keys)],
    );
    return new Map(rows.map((r) => [r.key, r.value]));
  }

  /** Namespace ids by identity, for the identities of evidence (the newest set of each identity). */
  async idsOf(identities: readonly string[]): Promise<Map<number, string>> {
    const rows: { id: number; identity: string }[] = await this.dataSource.query(
      `SELECT max("id") AS "id", "identity" FROM "namespaces"
        WHERE "identity" IN (SELECT value FROM json_each(?)) GROUP BY "identity"`,
      [JSON.stringify(identities)],
    );
    return new Map(rows.map((r) => [r.id, r.identity]));
  }

  /** When the agent's first stored snapshot was taken, or null before any. */
  async firstSnapshotAt(): Promise<number | null> {
    const rows: { t: number | null }[] = await this.dataSource.query(
      `SELECT min("taken_at") AS "t" FROM "snapshots"`,
    );
    return rows[0]?.t ?? null;
  }

  /**
   * Kernel events that overlap the window. For an incident scoped to one set, a line that names another
   * network namespace is not evidence (the kernel log is host-wide, only conntrack lines name a netns): only
   * lines naming no netns or the set's own are kept. Each carries its netns's drop-counter magnitude.
   */
  async kernelEvents(scope: EvidenceScope): Promise<KernelEventEvidence[]> {
    const exists: { n: number }[] = await this.dataSource.query(
      `SELECT count(*) AS "n" FROM sqlite_master WHERE "type" = 'table' AND "name" = 'kernel_events'`,
    );
    if (!exists[0]?.n) return [];
    const rows: {
      id: number;
      signature: string;
      key: string;
      eff_id: number | null;
      identity: string | null;
      owners: string | null;
      count: number;
      first_at: number;
      last_at: number;
      sample_line: string;
    }[] = await this.dataSource.query(
      `WITH ev AS (
         SELECT e.*, coalesce(e."namespace_id", ${namespaceByNetInodeSql('e."net_inode"', 'e."first_at"')}) AS "eff_id"
           FROM "kernel_events" e
          WHERE e."last_at" >= ? AND e."first_at" <= ?
            AND (NOT ? OR e."net_inode" IS NULL OR e."net_inode" IN (
                 SELECT "net_inode" FROM "namespaces" WHERE "id" IN (SELECT "value" FROM json_each(?)))))
       SELECT ev."id", ev."signature", ev."key", ev."eff_id", n."identity", ev."count", ev."first_at", ev."last_at",
              ev."sample_line", ${ownerNamesSql('ev."eff_id"')} AS "owners"
         FROM ev LEFT JOIN "namespaces" n ON n."id" = ev."eff_id"`,
      [scope.from, scope.to, scope.hostGlobalOnly ? 1 : 0, JSON.stringify(scope.namespaceIds)],
    );
    const magnitudes = await burstMagnitudes(
      this.dataSource,
      rows.map((r) => ({
        id: r.id,
        signature: r.signature,
        namespaceId: r.eff_id,
        firstAt: r.first_at,
        lastAt: r.last_at,
      })),
    );
    return rows.map((r) => ({
      kind: 'kernel-event',
      key: r.key,
      signature: r.signature,
      namespace: r.identity,
      owners: ownerNamesOf(r.owners),
      count: r.count,
      firstAt: r.first_at,
      lastAt: r.last_at,
      sampleLine: r.sample_line,
      drops: magnitudes.get(r.id) ?? null,
    }));
  }
}

/** A key's value in force in one set at one time, and since when. */
export interface ValueInForce {
  readonly namespaceId: number;
  readonly key: string;
  readonly value: string | null;
  readonly since: number;
  /** No earlier value of the key is recorded for the set: it has had this value since it was first read. */
  readonly first: boolean;
}

function limitKeyOf(metric: string): string | undefined {
  return isCounterMetric(metric) ? undefined : limitKeyOfMetric(metric);
}

import {
  type BurstMagnitude,
  burstMagnitude,
  type CounterBracket,
} from '../domain/kernel-events/burst-magnitude.js';
import { KERNEL_SIGNATURES } from '../domain/kernel-events/kernel-signatures.js';

/** A stored burst whose magnitude is wanted: its row id, the set its line names, its first and last line. */
export interface BurstPlace {
  readonly id: number;
  readonly signature: string;
  readonly namespaceId: number | null;
  readonly firstAt: number;
  readonly lastAt: number;
}

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

const COUNTERS = new Map(KERNEL_SIGNATURES.map((s) => [s.id, s.dropCounters ?? []]));

/**
 * The snapshots that bracket the burst while its set was seen: the last one at or before the first line and
 * the first one at or after the last line.
 */
const BRACKET_SQL = `SELECT
   (SELECT max(s."taken_at") FROM "snapshots" s WHERE s."taken_at" <= ? AND s."taken_at" >= n."first_seen_at") AS "from",
   (SELECT min(s."taken_at") FROM "snapshots" s WHERE s."taken_at" >= ? AND s."taken_at" <= n."last_seen_at") AS "to"
  FROM "namespaces" n WHERE n."id" = ?`;

/** A counter's value at an instant: usage samples are stored change-only, so the last one at or before it. */
const VALUE_AT_SQL = `SELECT "usage" FROM "usage_samples"
  WHERE "metric" = ? AND "namespace_id" = ? AND "taken_at" <= ? ORDER BY "taken_at" DESC LIMIT 1`;

/**
 * The drop-counter magnitude (burst-magnitude.ts) of each burst whose signature has drop counters and whose
 * line names a namespace set; bursts without one are absent from the map. Two index seeks per counter
 * (ix_usage_samples_series) and two per burst on ix_snapshots_taken_at.
 */
export async function burstMagnitudes(
  db: Queryable,
  bursts: readonly BurstPlace[],
): Promise<Map<number, BurstMagnitude>> {
  const found = new Map<number, BurstMagnitude>();
  for (const burst of bursts) {
    const metrics = COUNTERS.get(burst.signature) ?? [];
    if (metrics.length === 0 || burst.namespaceId === null) continue;
    const rows = (await db.query(BRACKET_SQL, [burst.firstAt, burst.lastAt, burst.namespaceId])) as {
      from: number | null;
      to: number | null;
    }[];
    const from = rows[0]?.from ?? null;
    const to = rows[0]?.to ?? null;
    if (from === null || to === null) continue;
    const brackets: CounterBracket[] = [];
    for (const metric of metrics) {
      const before = await valueAt(db, metric, burst.namespaceId, from);
      const after = await valueAt(db, metric, burst.namespaceId, to);
      if (before !== null && after !== null) brackets.push({ metric, before, after });
    }
    const magnitude = burstMagnitude(from, to, brackets);
    if (magnitude) found.set(burst.id, magnitude);
  }
  return found;
}

async function valueAt(
  db: Queryable,
  metric: string,
  namespaceId: number,
  at: number,
): Promise<number | null> {
  const rows = (await db.query(VALUE_AT_SQL, [metric, namespaceId, at])) as { usage: number }[];
  return rows[0]?.usage ?? null;
}

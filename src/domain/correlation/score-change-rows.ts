import { changeEvidenceAt, type ChangeRows, valueOf } from './change-rows.js';
import type { ChangeEvidence } from './evidence-types.js';
import { canonicalKey, hasAliases } from './limit-keys.js';
import { scoreChangeStory } from './score-evidence.js';

/** The window's changes scored per key and set (scoreChangeRows), and which rows count. */
export interface ScoredChanges {
  readonly rows: ChangeRows;
  /** The canonical name (limit-keys.ts) of each of `rows.keys`. */
  readonly canonical: readonly string[];
  /** 0 for a row that repeats another under an alias of its key (seen once). */
  readonly kept: Uint8Array;
  /** For each canonical key: the score of each set's changes (scoreChanges), in the order the sets first appear. */
  readonly setScores: ReadonlyMap<string, readonly number[]>;
}

/**
 * scoreChanges for every key and set of the rows, in one pass and without an object per change: for each
 * (key, set) the first change's `before`, the last `after` at or before the start, the last `after`, and how
 * many changes come before and after the start; "first" and "last" as in a stable sort by time (ties keep
 * row order), as scoreChanges orders them. The same change seen under two aliases of a key counts once.
 */
export function scoreChangeRows(rows: ChangeRows, startedAt: number): ScoredChanges {
  // The rows are shared while the database is unchanged (the repository keeps them): so is their scoring.
  const known = SCORED.get(rows);
  if (known?.startedAt === startedAt) return known.scored;
  const scored = scoreEachChangeRow(rows, startedAt);
  SCORED.set(rows, { startedAt, scored });
  return scored;
}

/** The last scoring of each rows object (rows are never changed once built). */
const SCORED = new WeakMap<ChangeRows, { startedAt: number; scored: ScoredChanges }>();

function scoreEachChangeRow(rows: ChangeRows, startedAt: number): ScoredChanges {
  const canonical = rows.keys.map(canonicalKey);
  const aliased = canonical.map(hasAliases);
  const canonicalIds = new Map<string, number>();
  const canonicalOf = Int32Array.from(canonical, (name) => {
    let id = canonicalIds.get(name);
    if (id === undefined) {
      id = canonicalIds.size;
      canonicalIds.set(name, id);
    }
    return id;
  });
  const n = rows.count;
  const kept = new Uint8Array(n);
  const pairOf = new Map<number, number>();
  // Per (key, set): at most one per row.
  const firstAt = new Float64Array(n);
  const firstBefore = new Int32Array(n);
  const lastAt = new Float64Array(n);
  const lastAfter = new Int32Array(n);
  const startAt = new Float64Array(n);
  const startAfter = new Int32Array(n);
  const pre = new Int32Array(n);
  const post = new Int32Array(n);
  const pairKey = new Int32Array(n);
  const pairsOfKey: number[][] = [];
  const seen = new Set<string>();
  const setCount = rows.places.length;
  for (let i = 0; i < n; i++) {
    const keyIndex = rows.key[i] ?? 0;
    const place = rows.place[i] ?? 0;
    const before = rows.before[i] ?? -1;
    const after = rows.after[i] ?? -1;
    const at = rows.at[i] ?? 0;
    if (aliased[keyIndex]) {
      const id = `${canonical[keyIndex]}\u0000${rows.places[place]?.namespace}\u0000${at}\u0000${valueOf(rows, before)}\u0000${valueOf(rows, after)}`;
      if (seen.has(id)) continue;
      seen.add(id);
    }
    kept[i] = 1;
    const key = canonicalOf[keyIndex] ?? 0;
    const slot = key * setCount + place;
    let pair = pairOf.get(slot);
    if (pair === undefined) {
      pair = pairOf.size;
      pairOf.set(slot, pair);
      pairKey[pair] = key;
      firstAt[pair] = at;
      firstBefore[pair] = before;
      lastAt[pair] = at;
      lastAfter[pair] = after;
      startAt[pair] = Number.NEGATIVE_INFINITY;
      (pairsOfKey[key] ??= []).push(pair);
    } else {
      if (at < (firstAt[pair] ?? 0)) {
        firstAt[pair] = at;
        firstBefore[pair] = before;
      }
      if (at >= (lastAt[pair] ?? 0)) {
        lastAt[pair] = at;
        lastAfter[pair] = after;
      }
    }
    if (at <= startedAt) {
      pre[pair] = (pre[pair] ?? 0) + 1;
      if (at >= (startAt[pair] ?? 0)) {
        startAt[pair] = at;
        startAfter[pair] = after;
      }
    } else post[pair] = (post[pair] ?? 0) + 1;
  }
  const names = [...canonicalIds.keys()];
  const setScores = new Map<string, number[]>();
  pairsOfKey.forEach((pairs, key) => {
    const name = names[key] ?? '';
    setScores.set(
      name,
      pairs.map((pair) => {
        const original = valueOf(rows, firstBefore[pair] ?? -1);
        const before = pre[pair] ?? 0;
        return scoreChangeStory(name, {
          original,
          atStart: before > 0 ? valueOf(rows, startAfter[pair] ?? -1) : original,
          atEnd: valueOf(rows, lastAfter[pair] ?? -1),
          pre: before,
          post: post[pair] ?? 0,
        });
      }),
    );
  });
  return { rows, canonical, kept, setScores };
}

/**
 * The kept changes of each of `keys` (canonical names) as evidence, in row order, passed through `prepare`
 * under the names they were recorded with (tightenChangeIntervals matches kernel lines by them), then renamed
 * to the canonical name as groupByKey does: built only for the suspects a report returns.
 */
export function changeEvidenceOf(
  scored: ScoredChanges,
  keys: ReadonlySet<string>,
  prepare: (changes: readonly ChangeEvidence[]) => readonly ChangeEvidence[] = (changes) => changes,
): Map<string, ChangeEvidence[]> {
  const { rows, canonical, kept } = scored;
  const recorded: ChangeEvidence[] = [];
  const names: string[] = [];
  for (let i = 0; i < rows.count; i++) {
    if (kept[i] !== 1) continue;
    const key = canonical[rows.key[i] ?? 0] ?? '';
    if (!keys.has(key)) continue;
    recorded.push(changeEvidenceAt(rows, i));
    names.push(key);
  }
  const byKey = new Map<string, ChangeEvidence[]>();
  prepare(recorded).forEach((change, i) => {
    const key = names[i] ?? change.key;
    const item = key === change.key ? change : { ...change, key };
    const list = byKey.get(key);
    if (list) list.push(item);
    else byKey.set(key, [item]);
  });
  return byKey;
}

import type { ChangeEvidence, EvidencePlace } from './evidence-types.js';

/**
 * The value changes of a report's window as columns: a set (index into `places`), a key name (into `keys`),
 * the values before and after (into `values`, −1 for none), when, and the previous reading (NaN for none).
 * A host-wide day is ~7,500 changes: held as objects until the report is ranked, they outlive the agent's
 * 1-MiB young generation and were most of a wide report's CPU (promotion, full collections). Scoring reads the
 * columns (score-change-rows.ts); evidence objects are built only for the suspects a report returns.
 */
export interface ChangeRows {
  readonly count: number;
  readonly place: Int32Array;
  readonly key: Int32Array;
  readonly before: Int32Array;
  readonly after: Int32Array;
  readonly at: Float64Array;
  readonly changedAfter: Float64Array;
  readonly places: readonly EvidencePlace[];
  readonly keys: readonly string[];
  readonly values: readonly string[];
  /** The evidence the rows were made from, when they were (changeRowsOf): returned as it is. */
  readonly originals?: readonly ChangeEvidence[];
}

const INITIAL_CAPACITY = 256;

/** Builds ChangeRows one change at a time; values are interned, so repeated strings are held once. */
export class ChangeRowsBuilder {
  private count = 0;
  private capacity = INITIAL_CAPACITY;
  private place = new Int32Array(INITIAL_CAPACITY);
  private key = new Int32Array(INITIAL_CAPACITY);
  private before = new Int32Array(INITIAL_CAPACITY);
  private after = new Int32Array(INITIAL_CAPACITY);
  private at = new Float64Array(INITIAL_CAPACITY);
  private changedAfter = new Float64Array(INITIAL_CAPACITY);
  private readonly places: EvidencePlace[] = [];
  private readonly keys: string[] = [];
  private readonly values: string[] = [];
  private readonly valueIds = new Map<string, number>();

  /** Registers a set; the index to pass to add. */
  addPlace(place: EvidencePlace): number {
    return this.places.push(place) - 1;
  }

  /** Registers a key name; the index to pass to add. */
  addKey(name: string): number {
    return this.keys.push(name) - 1;
  }

  add(
    place: number,
    key: number,
    before: string | null,
    after: string | null,
    at: number,
    changedAfter: number | null,
  ): void {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    this.place[i] = place;
    this.key[i] = key;
    this.before[i] = this.valueId(before);
    this.after[i] = this.valueId(after);
    this.at[i] = at;
    this.changedAfter[i] = changedAfter ?? Number.NaN;
  }

  /** The rows, in arrays of their exact length (copies: the rows may be kept, the spare capacity is not). */
  build(originals?: readonly ChangeEvidence[]): ChangeRows {
    const n = this.count;
    return {
      count: n,
      place: this.place.slice(0, n),
      key: this.key.slice(0, n),
      before: this.before.slice(0, n),
      after: this.after.slice(0, n),
      at: this.at.slice(0, n),
      changedAfter: this.changedAfter.slice(0, n),
      places: this.places,
      keys: this.keys,
      values: this.values,
      ...(originals ? { originals } : {}),
    };
  }

  private valueId(value: string | null): number {
    if (value === null) return -1;
    let id = this.valueIds.get(value);
    if (id === undefined) {
      id = this.values.push(value) - 1;
      this.valueIds.set(value, id);
    }
    return id;
  }

  private grow(): void {
    this.capacity *= 2;
    const widen = <T extends Int32Array | Float64Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.place = widen(this.place, new Int32Array(this.capacity));
    this.key = widen(this.key, new Int32Array(this.capacity));
    this.before = widen(this.before, new Int32Array(this.capacity));
    this.after = widen(this.after, new Int32Array(this.capacity));
    this.at = widen(this.at, new Float64Array(this.capacity));
    this.changedAfter = widen(this.changedAfter, new Float64Array(this.capacity));
  }
}

/** A value of `rows.values` by id, null for −1. */
export function valueOf(rows: ChangeRows, id: number): string | null {
  return id < 0 ? null : (rows.values[id] ?? null);
}

/**
 * Row `i` as evidence: the object the change was made from, or a new one with the set's place shared, in the
 * field order the repository has always given (the report's JSON depends on it).
 */
export function changeEvidenceAt(rows: ChangeRows, i: number): ChangeEvidence {
  const original = rows.originals?.[i];
  if (original) return original;
  const at = rows.at[i] ?? 0;
  const changedAfter = rows.changedAfter[i] ?? Number.NaN;
  return {
    kind: 'changed',
    key: rows.keys[rows.key[i] ?? 0] ?? '',
    ...rows.places[rows.place[i] ?? 0],
    before: valueOf(rows, rows.before[i] ?? -1),
    after: valueOf(rows, rows.after[i] ?? -1),
    at,
    changedAfter: Number.isNaN(changedAfter) ? null : changedAfter,
    changedBy: at,
  } as ChangeEvidence;
}

/** Change evidence as rows (for callers that hold objects: tests, rankSuspects). */
export function changeRowsOf(changes: readonly ChangeEvidence[]): ChangeRows {
  const builder = new ChangeRowsBuilder();
  const places = new Map<string, number>();
  const keys = new Map<string, number>();
  for (const c of changes) {
    let place = places.get(c.namespace);
    if (place === undefined) {
      place = builder.addPlace({ namespace: c.namespace, owners: c.owners });
      places.set(c.namespace, place);
    }
    let key = keys.get(c.key);
    if (key === undefined) {
      key = builder.addKey(c.key);
      keys.set(c.key, key);
    }
    builder.add(place, key, c.before, c.after, c.at, c.changedAfter ?? null);
  }
  return builder.build(changes);
}

/** Every row as evidence (tests and small callers; a report builds only the ones it returns). */
export function changeEvidenceList(rows: ChangeRows): ChangeEvidence[] {
  return Array.from({ length: rows.count }, (_, i) => changeEvidenceAt(rows, i));
}

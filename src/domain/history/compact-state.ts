import type { ValueState } from './diff-value-maps.js';

/** The keys of a state in order, with the place of each: one for every state with the same keys in that order. */
export class KeyOrder {
  readonly places: ReadonlyMap<string, number>;

  constructor(readonly keys: readonly string[]) {
    this.places = new Map(keys.map((key, place) => [key, place]));
  }

  /** Whether `keys` are these keys in this order. */
  matches(keys: readonly string[]): boolean {
    if (keys.length !== this.keys.length) return false;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== this.keys[i]) return false;
    return true;
  }
}

/**
 * A state kept between snapshots: its values in the order of a shared KeyOrder. A JavaScript Map costs about
 * 28 bytes an entry; this costs 8 (a value slot), the keys and their places being shared by every state with
 * the same keys, as the pods of a node have. Read-only, iterated in the order the state was built in, like the
 * Map it stands for.
 */
export class CompactState implements ValueState {
  constructor(
    readonly order: KeyOrder,
    private readonly slots: readonly (string | null)[],
  ) {}

  get size(): number {
    return this.slots.length;
  }

  /** The value in place `place` of the key order (the order's `keys[place]`). */
  valueAt(place: number): string | null {
    return this.slots[place] ?? null;
  }

  get(key: string): string | null | undefined {
    const place = this.order.places.get(key);
    return place === undefined ? undefined : this.slots[place];
  }

  has(key: string): boolean {
    return this.order.places.has(key);
  }

  forEach(
    callback: (value: string | null, key: string, map: ReadonlyMap<string, string | null>) => void,
    thisArg?: unknown,
  ): void {
    const { keys } = this.order;
    for (let i = 0; i < keys.length; i++) callback.call(thisArg, this.slots[i] ?? null, keys[i] ?? '', this);
  }

  *entries(): MapIterator<[string, string | null]> {
    const { keys } = this.order;
    for (let i = 0; i < keys.length; i++) yield [keys[i] ?? '', this.slots[i] ?? null];
  }

  keys(): MapIterator<string> {
    return this.order.keys.values();
  }

  values(): MapIterator<string | null> {
    return this.slots.values();
  }

  [Symbol.iterator](): MapIterator<[string, string | null]> {
    return this.entries();
  }
}

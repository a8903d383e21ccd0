import type { ValueState } from './diff-value-maps.js';

/**
 * V8 makes a substring of 13 characters or more a slice of the string it was cut from, which then stays alive
 * as long as the slice does: one long value kept from a namespace dump keeps the whole dump (tens of KiB).
 */
const SLICE_MIN_LENGTH = 13;

/** `text` as a string of its own: a copy when it could be a slice of a larger string, else itself. */
export function ownString(text: string): string {
  return text.length < SLICE_MIN_LENGTH ? text : (JSON.parse(JSON.stringify(text)) as string);
}

/**
 * One copy of each key name and value for the states kept between snapshots. The pods of a node have the same
 * keys (`net.ipv4.conf.eth0.*` in every pod) and mostly the same values, so 110 pods hold one copy of each
 * instead of 110. Strings enter the pool as copies of their own, never as slices of a larger string. The pool
 * is rebuilt from the states still kept once it has grown to twice its size after the last rebuild (keys of
 * interfaces that have gone, values that changed), so it stays proportional to what is kept.
 */
export class StringPool {
  private strings = new Map<string, string>();
  private sizeAfterRebuild = 0;

  get size(): number {
    return this.strings.size;
  }

  /** The pooled copy of `text`. */
  share(text: string): string {
    const pooled = this.strings.get(text);
    if (pooled !== undefined) return pooled;
    const own = ownString(text);
    this.strings.set(own, own);
    return own;
  }

  /** A copy of `state` whose keys and values are the pool's. */
  shareState(state: ValueState): Map<string, string | null> {
    const shared = new Map<string, string | null>();
    for (const [key, value] of state) shared.set(this.share(key), value === null ? null : this.share(value));
    return shared;
  }

  /** Rebuilds the pool from the strings of `kept` when it has grown past twice its last rebuilt size. */
  trim(kept: Iterable<ValueState>, minimum = 4096): void {
    if (this.strings.size <= Math.max(minimum, 2 * this.sizeAfterRebuild)) return;
    const strings = new Map<string, string>();
    for (const state of kept) {
      for (const [key, value] of state) {
        strings.set(key, key);
        if (value !== null) strings.set(value, value);
      }
    }
    this.strings = strings;
    this.sizeAfterRebuild = strings.size;
  }
}

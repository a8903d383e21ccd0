import { CompactState, KeyOrder } from './compact-state.js';
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
 * interfaces that have gone, values that changed), so it stays proportional to what is kept. States are kept
 * compact (compact-state.ts): values in the order of a key order shared by the states with the same keys.
 */
export class StringPool {
  private strings = new Map<string, string>();
  private sizeAfterRebuild = 0;
  /** The key orders of the states shared, by number of keys. */
  private orders = new Map<number, KeyOrder[]>();
  private orderCount = 0;
  private ordersAfterRebuild = 0;

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

  /**
   * A compact copy of `state` whose keys and values are the pool's, and whose key order is shared with every
   * other state of the pool with the same keys in the same order.
   */
  shareState(state: ValueState): CompactState {
    const keys: string[] = [];
    const slots: (string | null)[] = [];
    for (const [key, value] of state) {
      keys.push(this.share(key));
      slots.push(value === null ? null : this.share(value));
    }
    return new CompactState(this.orderOf(keys), slots);
  }

  private orderOf(keys: string[]): KeyOrder {
    const candidates = this.orders.get(keys.length);
    const known = candidates?.find((order) => order.matches(keys));
    if (known !== undefined) return known;
    const order = new KeyOrder(keys);
    if (candidates === undefined) this.orders.set(keys.length, [order]);
    else candidates.push(order);
    this.orderCount++;
    return order;
  }

  /**
   * Rebuilds the strings from those of `kept` when they have grown past twice their last rebuilt number, and
   * the key orders from those of `kept` when they have (a set whose keys changed left its old order behind).
   */
  trim(kept: Iterable<ValueState>, minimum = 4096, minimumOrders = 16): void {
    const strings =
      this.strings.size > Math.max(minimum, 2 * this.sizeAfterRebuild) ? new Map<string, string>() : null;
    const orders =
      this.orderCount > Math.max(minimumOrders, 2 * this.ordersAfterRebuild)
        ? new Map<number, KeyOrder[]>()
        : null;
    if (strings === null && orders === null) return;
    let orderCount = 0;
    for (const state of kept) {
      if (strings !== null) {
        for (const [key, value] of state) {
          strings.set(key, key);
          if (value !== null) strings.set(value, value);
        }
      }
      if (orders !== null && state instanceof CompactState) {
        const same = orders.get(state.order.keys.length);
        if (same?.includes(state.order) === true) continue;
        if (same === undefined) orders.set(state.order.keys.length, [state.order]);
        else same.push(state.order);
        orderCount++;
      }
    }
    if (strings !== null) {
      this.strings = strings;
      this.sizeAfterRebuild = strings.size;
    }
    if (orders !== null) {
      this.orders = orders;
      this.orderCount = this.ordersAfterRebuild = orderCount;
    }
  }
}

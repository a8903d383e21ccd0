import { ownString } from '../history/string-pool.js';
import type { SysctlReading } from './sysctl-types.js';

/**
 * One object for each distinct reading (key, access, value, error) of the namespace dumps kept between
 * snapshots. A node's pods have the same keys and mostly the same values, so 110 pods' ~700 readings each share
 * one `{ key: 'net.ipv4.conf.eth0.forwarding', value: '1' }` instead of holding 110 objects with 110 copies of
 * the key. A pooled reading's strings are its own (never slices pinning a whole dump). Readings are never
 * changed, so sharing them between sets is safe. The pool is rebuilt from the readings still kept once it has
 * grown to twice its size after the last rebuild (interfaces gone, values changed).
 */
export class ReadingPool {
  private byKey = new Map<string, SysctlReading[]>();
  private count = 0;
  private countAfterRebuild = 0;

  /** Distinct readings pooled. */
  get size(): number {
    return this.count;
  }

  /** The pooled reading equal to `reading`. */
  share(reading: SysctlReading): SysctlReading {
    const variants = this.byKey.get(reading.key);
    if (variants !== undefined) {
      for (const variant of variants) if (sameReading(variant, reading)) return variant;
    }
    const key = variants?.[0]?.key ?? ownString(reading.key);
    const own: SysctlReading = {
      key,
      access: reading.access,
      value: reading.value === null ? null : ownString(reading.value),
      ...(reading.error === undefined ? {} : { error: reading.error }),
    };
    this.add(own, variants);
    return own;
  }

  /** `readings`, each replaced by its pooled copy (a new array). */
  shareAll(readings: readonly SysctlReading[]): SysctlReading[] {
    return readings.map((reading) => this.share(reading));
  }

  /** Rebuilds the pool from the readings of `kept` when it has grown past twice its last rebuilt size. */
  trim(kept: Iterable<readonly SysctlReading[]>, minimum = 4096): void {
    if (this.count <= Math.max(minimum, 2 * this.countAfterRebuild)) return;
    this.byKey = new Map();
    this.count = 0;
    for (const readings of kept) {
      for (const reading of readings) {
        const variants = this.byKey.get(reading.key);
        if (variants?.includes(reading) !== true) this.add(reading, variants);
      }
    }
    this.countAfterRebuild = this.count;
  }

  private add(reading: SysctlReading, variants: SysctlReading[] | undefined): void {
    if (variants === undefined) this.byKey.set(reading.key, [reading]);
    else variants.push(reading);
    this.count++;
  }
}

function sameReading(a: SysctlReading, b: SysctlReading): boolean {
  return a.value === b.value && a.access === b.access && a.error === b.error;
}

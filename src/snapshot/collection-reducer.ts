import type { TargetCollection } from '../collectors/collector-runner.js';
import type { TargetChangePlan } from '../domain/history/plan-target-changes.js';
import { keysReadForUsage } from '../domain/limits/pair-usage-samples.js';
import type { KeyCatalog, NewKey } from '../storage/key-catalog.js';
import type { LastKnownState } from '../storage/last-known-state.js';
import type { SysctlReading } from '../domain/sysctl/sysctl-types.js';
import type { ValueState } from '../domain/history/diff-value-maps.js';
import { planSetChanges } from './build-target-records.js';
import type { KeyClassifier } from './key-classifier.js';

/** One set's collection once reduced: its planned changes, and the readings the rest of the snapshot reads. */
export interface ReducedCollection {
  /**
   * The collection, with every reading for the host (boot configuration, usage pairing of the other sets);
   * for another set only the readings usage pairing reads and those of keys the catalog calls global (compared
   * with the host's to observe namespaced keys).
   */
  readonly collection: TargetCollection;
  readonly plan: TargetChangePlan;
}

interface NewKeySighting {
  readonly key: NewKey;
  readonly index: number;
  readonly position: number;
}

/**
 * Reduces one snapshot's collections one by one, as each set's read completes (`collectEach`): its changes are
 * planned against the last known state, its keys not yet catalogued are noted, and all but a few of its readings
 * are let go. A node with 110 pods reads ~1,300 keys in each: held together until the snapshot was written, they
 * were the snapshot's peak of live memory (README, "Memory"). The outcome does not depend on the order in which
 * the reads complete: new keys come out in target order, each with its access in the first target that has it.
 */
export class CollectionReducer {
  private keys = 0;
  private readonly fresh = new Map<string, NewKeySighting>();

  constructor(
    private readonly catalog: KeyCatalog,
    private readonly classifier: KeyClassifier,
    private readonly state: LastKnownState,
    /**
     * Readings arrays every key of which was in the catalog when they were looked at, kept by the caller from
     * snapshot to snapshot: the catalog only grows, so readings handed out again (an idle set's) need no second look.
     */
    private readonly catalogued: WeakSet<readonly SysctlReading[]>,
  ) {}

  /** Readings of all the collections reduced so far. */
  get keysRead(): number {
    return this.keys;
  }

  async reduce(collection: TargetCollection, index: number): Promise<ReducedCollection> {
    const { identity } = collection.target.set;
    const previous = await this.state.stateOf(identity);
    const plan = planSetChanges(previous, collection);
    this.keys += collection.readings.length;
    this.noteNewKeys(collection, index);
    if (identity === 'host') return { collection, plan };
    const usage = keysReadForUsage(collection.samples);
    if (collection.usageOnly === true) {
      // A global key's value is the host's, read this snapshot (pairing falls back to it): the set's last full
      // read may predate a change of it (nf_conntrack_max lowered host-wide).
      const own = [...usage].filter((key) => this.catalog.scopeOf(key) !== 'global');
      return { collection: { ...collection, readings: lastKnownLimits(previous, own) }, plan };
    }
    const readings = collection.readings.filter(
      (r) => usage.has(r.key) || this.catalog.scopeOf(r.key) === 'global',
    );
    return { collection: { ...collection, readings }, plan };
  }

  /** Keys read this snapshot that the catalog does not hold, in target order. */
  newKeys(): NewKey[] {
    return [...this.fresh.values()]
      .sort((a, b) => a.index - b.index || a.position - b.position)
      .map((s) => s.key);
  }

  private noteNewKeys(collection: TargetCollection, index: number): void {
    if (this.catalogued.has(collection.readings)) return;
    let known = true;
    collection.readings.forEach((r, position) => {
      if (this.catalog.has(r.key)) return;
      known = false;
      const seen = this.fresh.get(r.key);
      if (seen && seen.index <= index) return;
      const key: NewKey = seen
        ? { ...seen.key, access: r.access }
        : { name: r.key, ...this.classifier.classify(r.key), access: r.access };
      this.fresh.set(r.key, { key, index, position });
    });
    if (known) this.catalogued.add(collection.readings);
  }
}

/**
 * A usage-only read's stand-in readings: the set's last known values of `keys` (its own limits; usage keys are
 * volatile, so never in a state). Its usage is paired with what its last full read found.
 */
function lastKnownLimits(state: ValueState, keys: Iterable<string>): SysctlReading[] {
  const readings: SysctlReading[] = [];
  for (const key of keys) {
    const value = state.get(key);
    if (value !== undefined && value !== null) readings.push({ key, access: 'readable', value });
  }
  return readings;
}

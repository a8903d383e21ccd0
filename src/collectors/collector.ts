import type { UsageSample } from '../domain/limits/usage-pairs.js';
import type { SysctlReading } from '../domain/sysctl/sysctl-types.js';

/** What a collector reads from: the host's procfs for now; other namespace sets plug in here. */
export interface CollectionTarget {
  /** Stable identity of the namespace set (`host`, or `net:…/ipc:…/uts:…`). */
  readonly identity: string;
  readonly kind: 'host' | 'container' | 'netns' | 'process';
  readonly procRoot: string;
}

export interface CollectorOutput {
  readonly readings?: readonly SysctlReading[];
  readonly samples?: readonly UsageSample[];
}

/**
 * One small, pluggable unit of collection (node_exporter's collector contract). A collector never throws for
 * "no data": it returns an empty output. A thrown error is recorded on the snapshot against this collector
 * and target, and never aborts the snapshot.
 */
export interface Collector {
  /** Stable name, reused in config, logs and metric labels. */
  readonly id: string;
  collect(target: CollectionTarget): Promise<CollectorOutput>;
}

import type { UsageSample } from '../domain/limits/usage-pairs.js';
import type { KeyNamespaces, NamespaceSet } from '../domain/namespaces/namespace-types.js';
import type { SysctlReading } from '../domain/sysctl/sysctl-types.js';

/** What a collector reads: one namespace set, through the host's procfs. */
export interface CollectionTarget {
  readonly set: NamespaceSet;
  readonly procRoot: string;
  readonly timeoutMs: number;
  /**
   * False when another set sharing this set's netns holds that netns's usage series (a debugging shell that
   * joined a container's netns with its own UTS namespace): usage is per netns, so only one set measures it.
   */
  readonly ownsNetnsUsage?: boolean;
  /**
   * The pid and user namespaces that own the set's pid-scoped and `user.*` keys, where they differ from the
   * host's (for the host set: the host's own, which it reads in-process).
   */
  readonly keyNamespaces?: KeyNamespaces;
  /**
   * True when only the set's usage is read this time (rolling full reads, choose-full-reads.ts): no helper
   * enters the set, its keys are not read, and its limits come from its last known values.
   */
  readonly usageOnly?: boolean;
}

/** How a set's keys were read; `usage-only`: they were not, only its usage was (a third state, not a failure). */
export type ReadMethod = 'in-process' | 'nsenter' | 'usage-only';

export interface CollectorOutput {
  readonly readings?: readonly SysctlReading[];
  readonly samples?: readonly UsageSample[];
  /** How the readings were obtained, when the collector read sysctls. */
  readonly method?: ReadMethod;
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
  /** After a pass over every target: forget what is remembered of sets not among these identities. */
  retain?(identities: ReadonlySet<string>): void;
}

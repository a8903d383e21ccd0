import type { BurstMagnitude } from '../kernel-events/burst-magnitude.js';
import type { ChildVisibility, Scope } from '../sysctl/sysctl-types.js';
import type { ConfigDriftEvidence } from './config-drift-evidence.js';

export type EvidenceKind =
  | 'changed'
  | 'saturated'
  | 'overflowed'
  | 'kernel-event'
  | 'own-value'
  | 'baseline-drift'
  | 'declared-mismatch'
  | 'config-drift';

/** Where a piece of evidence was seen: a namespace set and what lives in it. */
export interface EvidencePlace {
  readonly namespace: string;
  /** Container and netns names (empty for the host). */
  readonly owners: readonly string[];
}

export interface ChangeEvidence extends EvidencePlace {
  readonly kind: 'changed';
  readonly key: string;
  readonly before: string | null;
  readonly after: string | null;
  /** Detected at: the snapshot that first showed `after`. */
  readonly at: number;
  /**
   * The change happened in (changedAfter, changedBy]: after the set's previous reading (null: none), at or
   * before `changedBy` (= `at`, or earlier when a kernel line proves the new value was already in force).
   * Absent where the interval is not known.
   */
  readonly changedAfter?: number | null;
  readonly changedBy?: number;
}

export interface SaturationEvidence extends EvidencePlace {
  readonly kind: 'saturated';
  /** The limit key the usage runs into. */
  readonly key: string;
  readonly metric: string;
  readonly usage: number;
  readonly limit: number;
  readonly ratio: number;
  /** When the highest ratio of the window was sampled. */
  readonly at: number;
}

/**
 * A cumulative counter of failures (`*.total`: listen overflows, conntrack drops…) that rose in the window,
 * tied to the limit it runs into.
 */
export interface CounterEvidence extends EvidencePlace {
  readonly kind: 'overflowed';
  /** The limit key the counter runs into. */
  readonly key: string;
  readonly metric: string;
  /** How much the counter rose between `from` and `at`. */
  readonly increase: number;
  /** increase per second over that span. */
  readonly perSecond: number;
  /** The limit's value when the last reading was taken. */
  readonly limit: number;
  readonly from: number;
  readonly at: number;
}

/**
 * The set runs a namespaced limit at its own value, different from the host's, from what a fresh namespace
 * gets, or from the baseline's, and that limit is behind a usage or counter of the set in the window.
 */
export interface OwnValueEvidence extends EvidencePlace {
  readonly kind: 'own-value';
  readonly key: string;
  readonly value: string;
  readonly host: string | null;
  /** What a fresh namespace gets (table namespace_defaults), when probed. */
  readonly fresh: string | null;
  /** The baseline compared with, and its value there (absent without a baseline). */
  readonly baseline?: string;
  readonly there?: string | null;
  /** Since when the value has been in force. */
  readonly since: number;
  /** True when no other value was ever recorded for the set: it was set when the set was created. */
  readonly atCreation: boolean;
}

export interface KernelEventEvidence {
  readonly kind: 'kernel-event';
  readonly key: string;
  readonly signature: string;
  readonly namespace: string | null;
  readonly owners: readonly string[];
  /** Lines the kernel printed in the burst (net_ratelimit's host-wide suppressed count is never added). */
  readonly count: number;
  readonly firstAt: number;
  readonly lastAt: number;
  readonly sampleLine: string;
  /** How much the netns's own drop counters grew around the burst; null when unknown. */
  readonly drops?: BurstMagnitude | null;
}

export interface BaselineDriftEvidence {
  readonly kind: 'baseline-drift';
  readonly key: string;
  readonly baseline: string;
  readonly here: string | null;
  readonly there: string | null;
}

export interface DeclaredMismatchEvidence {
  readonly kind: 'declared-mismatch';
  readonly key: string;
  readonly container: string;
  readonly declared: string;
  readonly effective: string | null;
}

export type Evidence =
  | ChangeEvidence
  | SaturationEvidence
  | CounterEvidence
  | OwnValueEvidence
  | KernelEventEvidence
  | BaselineDriftEvidence
  | DeclaredMismatchEvidence
  | ConfigDriftEvidence;

export interface KeyFacts {
  readonly scope: Scope;
  readonly childVisibility: ChildVisibility | null;
}

export interface IncidentContext {
  /** Identity of the namespace set the incident is scoped to, or null for the whole host. */
  readonly namespace: string | null;
  /** True when that set belongs to a container: settings it cannot change itself rank higher. */
  readonly containerScoped: boolean;
  /** When the symptoms began: changes before it may have caused them, a revert after it is remediation. */
  readonly startedAt: number;
}

/** The value of a key in force at the incident's start, in its set and on the host (for explanations). */
export interface KeyValues {
  readonly here: string | null;
  readonly host: string | null;
}

export interface Suspect {
  readonly key: string;
  readonly scope: Scope;
  readonly childVisibility: ChildVisibility | null;
  readonly kinds: readonly EvidenceKind[];
  readonly score: number;
  readonly evidence: readonly Evidence[];
  /** One sentence an operator can paste into a postmortem. */
  readonly explanation: string;
}

import { isLimitKey } from '../limits/usage-pairs.js';
import type { ConfSource } from '../sysctl-conf/sysctl-conf-types.js';

/**
 * Evidence that a key's runtime value was not what the boot configuration (sysctl.d) sets while the incident
 * lasted: set by hand and never persisted (lost at the next reboot), or a line that never applied (a key this
 * kernel does not have).
 */
export interface ConfigDriftEvidence {
  readonly kind: 'config-drift';
  readonly key: string;
  /** Null when the kernel has no such key. */
  readonly runtime: string | null;
  readonly configured: string;
  readonly source: ConfSource;
  /** When the drift was first seen (epoch ms). */
  readonly since: number;
  readonly unknownToKernel: boolean;
  /** First seen right after a reboot: the configuration did not apply at boot. */
  readonly atReboot: boolean;
  /** The drift began inside the window the report looks at (lookback included), not before it. */
  readonly beganInWindow: boolean;
}

/** A stored drift period, as the incident report reads it. */
export interface DriftPeriod {
  readonly key: string;
  readonly runtime: string | null;
  readonly configured: string;
  readonly source: ConfSource;
  readonly since: number;
  readonly until: number | null;
  readonly unknownToKernel: boolean;
  readonly atReboot: boolean;
}

/**
 * The drift periods that overlap the window [from, to] (an open period lasts), as evidence. A host often runs
 * with a few keys that never matched its files, so drift counts, as baseline drift does, only for limit keys
 * and for keys that already carry other evidence (`implicated`).
 */
export function configDriftEvidence(
  periods: readonly DriftPeriod[],
  from: number,
  to: number,
  implicated: ReadonlySet<string>,
): ConfigDriftEvidence[] {
  return periods
    .filter((p) => p.since <= to && (p.until === null || p.until > from))
    .filter((p) => implicated.has(p.key) || isLimitKey(p.key))
    .map((p) => ({
      kind: 'config-drift',
      key: p.key,
      runtime: p.runtime,
      configured: p.configured,
      source: p.source,
      since: p.since,
      unknownToKernel: p.unknownToKernel,
      atReboot: p.atReboot,
      beganInWindow: p.since >= from,
    }));
}

/**
 * Points for config drift: 15, as for a declared value that is not in force (the host's files say one thing,
 * its kernel runs another), +10 when the drift began inside the window (a runtime change then, not an old
 * state of the host). A key unknown to the kernel scores the base only: its line never had an effect.
 */
export function scoreConfigDrift(evidence: ConfigDriftEvidence): number {
  return 15 + (evidence.beganInWindow && !evidence.unknownToKernel ? 10 : 0);
}

/** The clause of a suspect's explanation. */
export function describeConfigDrift(e: ConfigDriftEvidence): string {
  const where = `${e.source.file}:${e.source.line}`;
  if (e.unknownToKernel) return `${where} sets it to ${e.configured} but this kernel has no such key`;
  const runtime = (e.runtime ?? '').trim().split(/\s+/).join(' ');
  const when = e.atReboot ? 'since the reboot seen at' : 'since';
  return `it runs at ${runtime} while ${where} sets ${e.configured} (${when} ${new Date(e.since).toISOString().slice(11, 19)})`;
}

import { isCounterMetric } from './limit-metrics.js';
import { parseLimitValue, parsePortRange } from './parse-limit-value.js';
import { mergeSamples } from './select-samples-to-store.js';
import { deriveUsageSamples, type PendingUsage, USAGE_PAIRS, type UsageSample } from './usage-pairs.js';

/** What a collector measures: a usage and the key of the limit it runs into, without the limit's value. */
export interface UsageMeasure {
  readonly metric: string;
  readonly usage: number;
  readonly limitKey: string;
  /** Where the usage was read (a volatile key, or a /proc file). */
  readonly usageKey: string;
}

/**
 * A measure travels through a collector's output (`samples`) with `limit` and `ratio` NaN until
 * pairUsageSamples gives it the limit of its namespace set. Unpaired samples never reach storage: pairing
 * drops those whose limit is unknown.
 */
export function measureAsSample(measure: UsageMeasure, pending?: PendingUsage): UsageSample {
  const sample: UsageSample = { ...measure, limit: Number.NaN, ratio: Number.NaN };
  return pending ? { ...sample, pending } : sample;
}

export function isUnpaired(sample: UsageSample): boolean {
  return Number.isNaN(sample.limit);
}

/** The raw limit value: the set's own reading when it has one (per-netns/IPC keys), else the host's. */
function rawLimit(
  key: string,
  own: ReadonlyMap<string, string>,
  host: ReadonlyMap<string, string> | undefined,
): string | undefined {
  const mine = own.get(key);
  return mine !== undefined && parseLimitValue(key, mine) !== null ? mine : host?.get(key);
}

function resolveUsage(sample: UsageSample, raw: string, own: ReadonlyMap<string, string>): number | null {
  const pending = sample.pending;
  if (!pending) return sample.usage;
  if (pending.kind === 'while-setting') {
    // The set's own reading only: the condition is a setting of the measured namespace (tcp_syncookies is
    // per netns), never the host's stand-in.
    return own.get(pending.key)?.trim() === pending.value ? pending.usage : null;
  }
  const range = parsePortRange(raw);
  if (range === null) return null;
  return pending.localPorts.filter((port) => port >= range.low && port <= range.high).length;
}

/**
 * Gives every unpaired sample its limit from `own` (the namespace set's sysctl values) or, when the set does not
 * read that key (global keys such as tcp_mem, gc_thresh3 are absent in a child netns), from `host`. Levels get
 * ratio usage / limit and are dropped when the limit is 0 (no limit) or unknown; counters (`*.total`) keep
 * ratio NaN (a cumulative count over a limit is no saturation) and are dropped only when the limit is unknown.
 * Samples that already carry a limit pass unchanged. The result carries no `pending` field. Never throws.
 */
export function pairUsageSamples(
  samples: readonly UsageSample[],
  own: ReadonlyMap<string, string>,
  host?: ReadonlyMap<string, string>,
): UsageSample[] {
  const paired: UsageSample[] = [];
  for (const { pending, ...sample } of samples) {
    if (!isUnpaired(sample)) {
      if (Number.isFinite(sample.usage) && sample.usage >= 0) paired.push(sample);
      continue;
    }
    const raw = rawLimit(sample.limitKey, own, host);
    const limit = parseLimitValue(sample.limitKey, raw);
    const usage = raw === undefined ? null : resolveUsage({ ...sample, pending }, raw, own);
    if (limit === null || usage === null || !Number.isFinite(usage) || usage < 0) continue;
    if (isCounterMetric(sample.metric)) paired.push({ ...sample, usage, limit, ratio: Number.NaN });
    else if (limit > 0) paired.push({ ...sample, usage, limit, ratio: usage / limit });
  }
  return paired;
}

/**
 * Every usage sample of one set right now, as the snapshot stores them and the gauges show them: sysctl-derived
 * pairs, then the collectors' measures paired with the set's own limit or else `host` (undefined for the host).
 */
export function setUsageSamples(
  values: ReadonlyMap<string, string>,
  measures: readonly UsageSample[],
  host?: ReadonlyMap<string, string>,
): UsageSample[] {
  return mergeSamples(deriveUsageSamples(values), pairUsageSamples(measures, values, host));
}

/**
 * The keys whose values `setUsageSamples(values, measures, …)` reads from the set's own `values`: both sides of
 * every built-in pair, each measure's limit key and the setting a pending measure depends on. A set's other
 * readings can be let go before its samples are paired (a snapshot keeps only these of each set until the host's
 * values are known).
 */
export function keysReadForUsage(measures: readonly UsageSample[]): Set<string> {
  const keys = new Set<string>();
  for (const pair of USAGE_PAIRS) keys.add(pair.usageKey).add(pair.limitKey);
  for (const measure of measures) {
    keys.add(measure.limitKey);
    if (measure.pending?.kind === 'while-setting') keys.add(measure.pending.key);
  }
  return keys;
}

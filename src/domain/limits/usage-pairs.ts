import { parseLimitValue } from './parse-limit-value.js';

/**
 * Limit pairs whose usage side is itself a sysctl, so one read of /proc/sys yields usage samples (KERNEL.md §4,
 * §8). Usage measures that live elsewhere (/proc/<pid>/net/stat, /proc/loadavg, /proc/sysvipc…) belong to
 * their collectors, not here.
 */
export interface UsagePair {
  readonly metric: string;
  /** The volatile counter key. */
  readonly usageKey: string;
  /** Zero-based whitespace-separated field of the usage value that holds the count. */
  readonly usageField: number;
  /** The setting the counter runs into. */
  readonly limitKey: string;
}

/**
 * A usage measure next to its limit. `*.total` metrics are cumulative counters (limit-metrics.ts): their ratio
 * is NaN, not a saturation.
 */
export interface UsageSample {
  readonly metric: string;
  readonly usage: number;
  readonly limit: number;
  readonly limitKey: string;
  readonly usageKey: string;
  /** usage / limit; NaN for counters and for samples not paired yet. */
  readonly ratio: number;
  /**
   * Set by a collector whose usage depends on the limit's value (ports in use are counted inside the set's own
   * port range, which only the sysctl readings know). Resolved and removed by pairUsageSamples.
   */
  readonly pending?: PendingUsage;
}

/**
 * What a collector could not settle alone and pairing settles with the set's sysctl readings: local ports of
 * every socket of a netns, to be counted against its ip_local_port_range (`ports-in-range`); or a counter tied
 * to its limit only while another setting holds one value (`while-setting`: TCPReqQFullDoCookies counts a full
 * SYN queue only under tcp_syncookies=1), kept when the set's reading of `key` is `value`, else dropped.
 */
export type PendingUsage =
  | { readonly kind: 'ports-in-range'; readonly localPorts: readonly number[] }
  | { readonly kind: 'while-setting'; readonly key: string; readonly value: string; readonly usage: number };

export const USAGE_PAIRS: readonly UsagePair[] = [
  /** Per-netns entry count against the global max (R11): each netns can reach the max on its own. */
  {
    metric: 'conntrack.entries',
    usageKey: 'net.netfilter.nf_conntrack_count',
    usageField: 0,
    limitKey: 'net.netfilter.nf_conntrack_max',
  },
  /** `fs.file-nr` is "allocated  free(always 0)  max"; the first field is what file-max bounds. */
  { metric: 'files.allocated', usageKey: 'fs.file-nr', usageField: 0, limitKey: 'fs.file-max' },
  { metric: 'aio.requests', usageKey: 'fs.aio-nr', usageField: 0, limitKey: 'fs.aio-max-nr' },
  /** Global pty count. Devpts instances mounted without `-o reserve` can only use `pty.max - pty.reserve`. */
  { metric: 'pty.allocated', usageKey: 'kernel.pty.nr', usageField: 0, limitKey: 'kernel.pty.max' },
];

const LIMIT_KEYS: ReadonlySet<string> = new Set(USAGE_PAIRS.map((pair) => pair.limitKey));

/** True for a setting that some usage pair measures against. */
export function isLimitKey(key: string): boolean {
  return LIMIT_KEYS.has(key);
}

const NON_NEGATIVE_INTEGER = /^\d+$/;

function integerField(value: string | undefined, field: number): number | null {
  if (value === undefined) return null;
  const text = value.trim().split(/\s+/)[field];
  if (text === undefined || !NON_NEGATIVE_INTEGER.test(text)) return null;
  const parsed = Number(text);
  return Number.isFinite(parsed) ? parsed : null;
}

/**
 * Turns one namespace's sysctl values into usage samples. A pair is skipped when either side is missing or not
 * a non-negative integer, and when the limit is 0 (nf_conntrack_max=0 means "no limit"; a ratio is undefined).
 * Never throws.
 */
export function deriveUsageSamples(values: ReadonlyMap<string, string>): UsageSample[] {
  const samples: UsageSample[] = [];
  for (const pair of USAGE_PAIRS) {
    const usage = integerField(values.get(pair.usageKey), pair.usageField);
    const limit = parseLimitValue(pair.limitKey, values.get(pair.limitKey));
    if (usage === null || limit === null || limit === 0) continue;
    samples.push({
      metric: pair.metric,
      usage,
      limit,
      limitKey: pair.limitKey,
      usageKey: pair.usageKey,
      ratio: usage / limit,
    });
  }
  return samples;
}

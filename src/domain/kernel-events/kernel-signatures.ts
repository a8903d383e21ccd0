/**
 * Kernel log lines that say a limit was hit (KERNEL.md §9, 6.18 formats), each tied to the key it implicates.
 * `limiter: 'net'` marks messages printed through the one global net_ratelimit() limiter, whose
 * "net_ratelimit: N callbacks suppressed" lines are folded into them (see coalesce-kernel-events.ts).
 */
export interface KernelSignature {
  /** Stable id: stored in kernel_events.signature and accepted by the API's `signature` filter. */
  readonly id: string;
  /** The implicated key for a match (most signatures name one key whatever the line says). */
  readonly keyOf: (match: RegExpExecArray) => string;
  /** Keys that also govern this limit, for the reader (not stored). */
  readonly relatedKeys: readonly string[];
  readonly pattern: RegExp;
  readonly limiter: 'net' | 'other';
  /** How the line names a network namespace: `conntrack` = the `in netns %u` / plain pair. */
  readonly netns: 'conntrack' | 'none';
  /**
   * Per-netns cumulative counters (usage metrics ending in `.total`) that count every occurrence of this
   * limit, printed or suppressed: the magnitude of a burst in the netns its line names.
   */
  readonly dropCounters?: readonly string[];
  /**
   * For a line that states the value its key had when it was printed (the kernel made the change itself),
   * that value from the match. Such a line proves the order of a change of the key; most lines prove nothing
   * of the kind (a "table full" fits the old limit as well as a lowered one: the count at that instant is
   * not known).
   */
  readonly statesValue?: (match: RegExpExecArray) => string | undefined;
}

const fixed = (key: string) => (): string => key;

export const NET_RATELIMIT_SIGNATURE = 'net-ratelimit-suppressed';

export const KERNEL_SIGNATURES: readonly KernelSignature[] = [
  {
    id: 'conntrack-table-full',
    keyOf: fixed('net.netfilter.nf_conntrack_max'),
    relatedKeys: ['net.netfilter.nf_conntrack_buckets'],
    // 6.18: "nf_conntrack: nf_conntrack: table full[ in netns %u], dropping packet"; 3.x: single prefix, trailing '.'
    pattern: /^nf_conntrack: (?:nf_conntrack: )?table full(?: in netns (\d+))?, dropping packet\.?\s*$/,
    limiter: 'net',
    netns: 'conntrack',
    // nf_conntrack_core.c: a packet refused for a full table counts `drop`; an entry evicted to make room
    // (the packet passed) counts `early_drop`.
    dropCounters: ['conntrack.drop.total', 'conntrack.early_drop.total'],
  },
  {
    id: 'conntrack-expectation-table-full',
    keyOf: fixed('net.netfilter.nf_conntrack_expect_max'),
    relatedKeys: [],
    pattern: /^nf_conntrack: expectation table full\s*$/,
    limiter: 'net',
    netns: 'none',
  },
  {
    id: 'neighbour-table-overflow',
    keyOf: (m) =>
      m[1] === 'ndisc_cache' ? 'net.ipv6.neigh.default.gc_thresh3' : 'net.ipv4.neigh.default.gc_thresh3',
    relatedKeys: ['net.ipv4.neigh.default.gc_thresh2', 'net.ipv6.neigh.default.gc_thresh2'],
    pattern: /^neighbour: (arp_cache|ndisc_cache): neighbor table overflow!\s*$/,
    limiter: 'net',
    netns: 'none',
  },
  {
    id: 'syn-flooding',
    keyOf: fixed('net.core.somaxconn'),
    relatedKeys: ['net.ipv4.tcp_max_syn_backlog', 'net.ipv4.tcp_syncookies'],
    // "TCP: request_sock_TCP: Possible SYN flooding on port 127.0.0.1:8082. Sending cookies." (older: port only)
    pattern:
      /^TCP: (?:request_sock_TCP(?:v6)?: )?Possible SYN flooding on port (.+?)\. (Sending cookies|Dropping request)\./,
    limiter: 'net',
    netns: 'none',
  },
  {
    id: 'tcp-out-of-memory',
    keyOf: fixed('net.ipv4.tcp_mem'),
    relatedKeys: [],
    pattern: /^TCP: out of memory -- consider tuning tcp_mem\s*$/,
    limiter: 'net',
    netns: 'none',
  },
  {
    id: 'tcp-too-many-orphans',
    keyOf: fixed('net.ipv4.tcp_max_orphans'),
    relatedKeys: [],
    pattern: /^TCP: too many orphaned sockets\s*$/,
    limiter: 'net',
    netns: 'none',
  },
  {
    id: 'file-max-reached',
    keyOf: fixed('fs.file-max'),
    relatedKeys: [],
    pattern: /^VFS: file-max limit (\d+) reached\s*$/,
    limiter: 'other',
    netns: 'none',
  },
  {
    id: 'pids-fork-rejected',
    // The cgroup's pids.max file, not a sysctl (often confused with kernel.pid_max).
    keyOf: fixed('pids.max'),
    relatedKeys: ['kernel.pid_max', 'kernel.threads-max'],
    pattern: /^cgroup: fork rejected by pids controller in (.+?)\s*$/,
    limiter: 'other',
    netns: 'none',
  },
  {
    id: 'perf-interrupt-too-long',
    keyOf: fixed('kernel.perf_event_max_sample_rate'),
    relatedKeys: ['kernel.perf_cpu_time_max_percent'],
    pattern:
      /^perf: interrupt took too long \((\d+) > (\d+)\), lowering kernel\.perf_event_max_sample_rate to (\d+)/,
    limiter: 'other',
    netns: 'none',
    // kernel/events/core.c sets the new rate, then prints it.
    statesValue: (m) => m[3],
  },
  {
    id: 'rt-throttling',
    keyOf: fixed('kernel.sched_rt_runtime_us'),
    relatedKeys: ['kernel.sched_rt_period_us'],
    pattern: /^sched: RT throttling activated\s*$/,
    limiter: 'other',
    netns: 'none',
  },
  {
    id: 'hung-task',
    keyOf: fixed('kernel.hung_task_timeout_secs'),
    relatedKeys: [],
    pattern: /^INFO: task (.+):(\d+) blocked for more than (\d+) seconds\./,
    limiter: 'other',
    netns: 'none',
  },
  {
    id: 'ip-local-port-range-parity',
    keyOf: fixed('net.ipv4.ip_local_port_range'),
    relatedKeys: [],
    pattern: /^ip_local_port_range: prefer different parity for start\/end values\.\s*$/,
    limiter: 'other',
    netns: 'none',
  },
  {
    id: NET_RATELIMIT_SIGNATURE,
    keyOf: fixed('net.core.message_cost'),
    relatedKeys: ['net.core.message_burst'],
    pattern: /^net_ratelimit: (\d+) callbacks suppressed\s*$/,
    limiter: 'other',
    netns: 'none',
  },
];

export const KERNEL_SIGNATURE_IDS: readonly string[] = KERNEL_SIGNATURES.map((s) => s.id);

/** The value a kernel line states for its key (see KernelSignature.statesValue); undefined when it states none. */
export function valueStatedBy(signatureId: string, line: string): string | undefined {
  const signature = KERNEL_SIGNATURES.find((s) => s.id === signatureId);
  const match = signature?.statesValue ? signature.pattern.exec(line) : null;
  return match && signature?.statesValue ? signature.statesValue(match) : undefined;
}

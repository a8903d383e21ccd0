/**
 * Every usage metric the agent samples, with the limit key it runs into (DESIGN.md "limit pair", KERNEL.md §4,
 * §8). Naming rule: a metric whose name ends in `.total` is a cumulative **counter** (drops, overflows since
 * boot or since the namespace was created); its sample stores the counter's value next to the limit it is tied
 * to, its ratio is not a saturation, and readers turn it into a per-second rate. Every other metric is a
 * **level** (a count right now); its ratio usage / limit is how close it is to the limit.
 */
export type MetricKind = 'level' | 'counter';

/** Where a metric is measured: in every namespace set (`set`), or once for the whole host (`host`). */
export type MetricPlace = 'set' | 'host';

export interface LimitMetric {
  readonly metric: string;
  readonly limitKey: string;
  /** Where the usage comes from, for the API and the docs. */
  readonly source: string;
  readonly place: MetricPlace;
}

const COUNTER_SUFFIX = '.total';

/** True for cumulative counters: metric names ending in `.total`. */
export function isCounterMetric(metric: string): boolean {
  return metric.endsWith(COUNTER_SUFFIX);
}

const CONNTRACK_MAX = 'net.netfilter.nf_conntrack_max';
const CONNTRACK_STAT = '/proc/PID/net/stat/nf_conntrack';

export const LIMIT_METRICS: readonly LimitMetric[] = [
  { metric: 'conntrack.entries', limitKey: CONNTRACK_MAX, source: `${CONNTRACK_STAT} entries`, place: 'set' },
  { metric: 'conntrack.drop.total', limitKey: CONNTRACK_MAX, source: `${CONNTRACK_STAT} drop`, place: 'set' },
  {
    metric: 'conntrack.early_drop.total',
    limitKey: CONNTRACK_MAX,
    source: `${CONNTRACK_STAT} early_drop`,
    place: 'set',
  },
  {
    metric: 'conntrack.insert_failed.total',
    limitKey: CONNTRACK_MAX,
    source: `${CONNTRACK_STAT} insert_failed`,
    place: 'set',
  },
  { metric: 'files.allocated', limitKey: 'fs.file-max', source: 'fs.file-nr field 1', place: 'host' },
  { metric: 'aio.requests', limitKey: 'fs.aio-max-nr', source: 'fs.aio-nr', place: 'host' },
  { metric: 'pty.allocated', limitKey: 'kernel.pty.max', source: 'kernel.pty.nr', place: 'host' },
  {
    metric: 'ports.in_use',
    limitKey: 'net.ipv4.ip_local_port_range',
    source: '/proc/PID/net/{tcp,tcp6,udp,udp6} sockets with a local port in the range (TIME_WAIT included)',
    place: 'set',
  },
  {
    metric: 'neighbours.entries',
    limitKey: 'net.ipv4.neigh.default.gc_thresh3',
    source: '/proc/PID/net/arp rows of the netns',
    place: 'set',
  },
  {
    metric: 'neighbours.table_entries',
    limitKey: 'net.ipv4.neigh.default.gc_thresh3',
    source: '/proc/net/stat/arp_cache entries (the global table, all netns)',
    place: 'host',
  },
  {
    metric: 'tcp.memory_pages',
    limitKey: 'net.ipv4.tcp_mem',
    source: '/proc/PID/net/sockstat TCP mem (global)',
    place: 'host',
  },
  {
    metric: 'tcp.listen_overflows.total',
    limitKey: 'net.core.somaxconn',
    source: '/proc/PID/net/netstat TcpExt ListenOverflows',
    place: 'set',
  },
  {
    metric: 'tcp.listen_drops.total',
    limitKey: 'net.core.somaxconn',
    source: '/proc/PID/net/netstat TcpExt ListenDrops',
    place: 'set',
  },
  {
    metric: 'tcp.syn_queue_drops.total',
    limitKey: 'net.core.somaxconn',
    source:
      "/proc/PID/net/netstat TcpExt TCPReqQFullDrop: SYNs dropped because a listener's SYN queue held more than its backlog, min(listen() backlog, somaxconn), with tcp_syncookies=0 (tcp_max_syn_backlog only drops unproven peers in the queue's last quarter, counted in ListenDrops alone)",
    place: 'set',
  },
  {
    metric: 'tcp.syn_queue_cookies.total',
    limitKey: 'net.core.somaxconn',
    source:
      "/proc/PID/net/netstat TcpExt TCPReqQFullDoCookies: SYNs answered with a syncookie because a listener's SYN queue held more than min(listen() backlog, somaxconn); sampled only while the netns runs tcp_syncookies=1 (with 2 every SYN counts)",
    place: 'set',
  },
  {
    metric: 'tcp.memory_pressures.total',
    limitKey: 'net.ipv4.tcp_mem',
    source:
      "/proc/PID/net/netstat TcpExt TCPMemoryPressures: times a socket of the netns put TCP into the host-wide memory-pressure state (pages above tcp_mem's 2nd field, or a failed skb allocation); tcp_mem itself is host-wide",
    place: 'set',
  },
  {
    metric: 'neighbours.table_fulls.total',
    limitKey: 'net.ipv4.neigh.default.gc_thresh3',
    source:
      '/proc/net/stat/arp_cache table_fulls, summed over CPUs: allocations refused because the global IPv4 neighbour table (all netns) held gc_thresh3 garbage-collectable entries (permanent ones are exempt) and a forced GC freed none',
    place: 'host',
  },
  { metric: 'tasks.threads', limitKey: 'kernel.threads-max', source: '/proc/loadavg field 4', place: 'host' },
  {
    metric: 'tasks.processes',
    limitKey: 'kernel.pid_max',
    source: 'process directories of /proc',
    place: 'host',
  },
  { metric: 'ipc.shm_segments', limitKey: 'kernel.shmmni', source: '/proc/sysvipc/shm rows', place: 'set' },
  { metric: 'ipc.msg_queues', limitKey: 'kernel.msgmni', source: '/proc/sysvipc/msg rows', place: 'set' },
  {
    metric: 'ipc.sem_sets',
    limitKey: 'kernel.sem',
    source: '/proc/sysvipc/sem rows (kernel.sem field 4)',
    place: 'set',
  },
];

const BY_METRIC: ReadonlyMap<string, LimitMetric> = new Map(LIMIT_METRICS.map((m) => [m.metric, m]));

export function limitMetric(metric: string): LimitMetric | undefined {
  return BY_METRIC.get(metric);
}

/** The limit key a metric runs into, when the metric is known. */
export function limitKeyOfMetric(metric: string): string | undefined {
  return BY_METRIC.get(metric)?.limitKey;
}

/**
 * True for a metric that measures a network namespace (conntrack entries, ports, neighbours, listen overflows
 * of one netns): it belongs to the netns, not to each namespace set sharing it (DESIGN.md "Truth rules").
 */
export function isNetnsMetric(metric: string): boolean {
  const known = BY_METRIC.get(metric);
  return known !== undefined && known.place === 'set' && known.limitKey.startsWith('net.');
}

import { numbersOf } from './numbers-of.js';

/**
 * What a limit-like key bounds: `capacity` (a table or count: conntrack entries, pids, files), `queue` (a
 * backlog: accept queue, SYN queue, netdev backlog), `memory` (pages or bytes), `range` (a low–high pair whose
 * width is the room: ip_local_port_range).
 */
export type LimitClass = 'capacity' | 'queue' | 'memory' | 'range';

/** `up`: a larger value gives more room. `down`: a smaller one does (a timeout holding entries longer). */
export type RoomDirection = 'up' | 'down';

export interface LimitKey {
  readonly key: string;
  readonly class: LimitClass;
  readonly direction: RoomDirection;
  /** Which field of a multi-number value is the limit (tcp_mem's third, "pressure ... max"); default 0. */
  readonly field?: number;
}

/**
 * Capacity and limit keys from the kernel documentation (Documentation/admin-guide/sysctl/*.rst,
 * networking/ip-sysctl.rst, nf_conntrack-sysctl.rst), with the direction in which each gives more room.
 */
export const LIMIT_KEYS: readonly LimitKey[] = [
  { key: 'net.netfilter.nf_conntrack_max', class: 'capacity', direction: 'up' },
  { key: 'net.netfilter.nf_conntrack_buckets', class: 'capacity', direction: 'up' },
  { key: 'net.netfilter.nf_conntrack_expect_max', class: 'capacity', direction: 'up' },
  { key: 'net.core.somaxconn', class: 'queue', direction: 'up' },
  { key: 'net.ipv4.tcp_max_syn_backlog', class: 'queue', direction: 'up' },
  { key: 'net.core.netdev_max_backlog', class: 'queue', direction: 'up' },
  { key: 'net.unix.max_dgram_qlen', class: 'queue', direction: 'up' },
  { key: 'net.ipv4.ip_local_port_range', class: 'range', direction: 'up' },
  { key: 'net.ipv4.tcp_max_tw_buckets', class: 'capacity', direction: 'up' },
  { key: 'net.ipv4.tcp_max_orphans', class: 'capacity', direction: 'up' },
  { key: 'net.ipv4.neigh.default.gc_thresh1', class: 'capacity', direction: 'up' },
  { key: 'net.ipv4.neigh.default.gc_thresh2', class: 'capacity', direction: 'up' },
  { key: 'net.ipv4.neigh.default.gc_thresh3', class: 'capacity', direction: 'up' },
  { key: 'net.ipv6.neigh.default.gc_thresh3', class: 'capacity', direction: 'up' },
  { key: 'net.ipv4.tcp_mem', class: 'memory', direction: 'up', field: 2 },
  { key: 'net.ipv4.udp_mem', class: 'memory', direction: 'up', field: 2 },
  { key: 'net.core.rmem_max', class: 'memory', direction: 'up' },
  { key: 'net.core.wmem_max', class: 'memory', direction: 'up' },
  { key: 'net.ipv4.tcp_rmem', class: 'memory', direction: 'up', field: 2 },
  { key: 'net.ipv4.tcp_wmem', class: 'memory', direction: 'up', field: 2 },
  { key: 'net.core.optmem_max', class: 'memory', direction: 'up' },
  { key: 'fs.file-max', class: 'capacity', direction: 'up' },
  { key: 'fs.nr_open', class: 'capacity', direction: 'up' },
  { key: 'fs.aio-max-nr', class: 'capacity', direction: 'up' },
  { key: 'fs.inotify.max_user_watches', class: 'capacity', direction: 'up' },
  { key: 'fs.inotify.max_user_instances', class: 'capacity', direction: 'up' },
  { key: 'fs.inotify.max_queued_events', class: 'queue', direction: 'up' },
  { key: 'fs.epoll.max_user_watches', class: 'capacity', direction: 'up' },
  { key: 'fs.pipe-max-size', class: 'memory', direction: 'up' },
  { key: 'fs.mqueue.msg_max', class: 'queue', direction: 'up' },
  { key: 'fs.mqueue.queues_max', class: 'capacity', direction: 'up' },
  { key: 'kernel.pid_max', class: 'capacity', direction: 'up' },
  { key: 'kernel.threads-max', class: 'capacity', direction: 'up' },
  { key: 'kernel.pty.max', class: 'capacity', direction: 'up' },
  { key: 'kernel.shmmni', class: 'capacity', direction: 'up' },
  { key: 'kernel.shmmax', class: 'memory', direction: 'up' },
  { key: 'kernel.shmall', class: 'memory', direction: 'up' },
  { key: 'kernel.msgmni', class: 'capacity', direction: 'up' },
  { key: 'kernel.msgmax', class: 'memory', direction: 'up' },
  { key: 'kernel.msgmnb', class: 'memory', direction: 'up' },
  { key: 'kernel.sem', class: 'capacity', direction: 'up', field: 3 },
  { key: 'kernel.keys.maxkeys', class: 'capacity', direction: 'up' },
  { key: 'user.max_user_namespaces', class: 'capacity', direction: 'up' },
  { key: 'user.max_net_namespaces', class: 'capacity', direction: 'up' },
  { key: 'vm.max_map_count', class: 'capacity', direction: 'up' },
  { key: 'vm.min_free_kbytes', class: 'memory', direction: 'down' },
];

const BY_KEY: ReadonlyMap<string, LimitKey> = new Map(LIMIT_KEYS.map((l) => [l.key, l]));

/** Two names of one kernel variable: the legacy name maps to the one the report uses. */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['net.nf_conntrack_max', 'net.netfilter.nf_conntrack_max'],
]);

const ALIASED: ReadonlySet<string> = new Set(ALIASES.values());

/** Whether a report's key (canonicalKey) has other names: only then can one change be seen twice. */
export function hasAliases(canonical: string): boolean {
  return ALIASED.has(canonical);
}

/** The name a report uses for a key: aliases of one kernel variable become one suspect. */
export function canonicalKey(key: string): string {
  return ALIASES.get(key) ?? key;
}

export function limitKeyInfo(key: string): LimitKey | undefined {
  return BY_KEY.get(canonicalKey(key));
}

/** How much room a value of a limit key gives (a range's width), or null when it is not a limit or a number. */
export function roomOf(key: string, value: string | null): number | null {
  const info = limitKeyInfo(key);
  if (!info || value === null) return null;
  const numbers = numbersOf(value);
  if (!numbers) return null;
  if (info.class === 'range') {
    const [low, high] = numbers;
    return low === undefined || high === undefined ? null : high - low + 1;
  }
  const room = numbers[info.field ?? 0];
  if (room === undefined) return null;
  return info.direction === 'up' ? room : -room;
}

/** -1 when `value` gives less room than `reference`, 1 when more, 0 when equal or not comparable. */
export function compareRoom(key: string, value: string | null, reference: string | null): -1 | 0 | 1 {
  const here = roomOf(key, value);
  const there = roomOf(key, reference);
  if (here === null || there === null || here === there) return 0;
  return here < there ? -1 : 1;
}

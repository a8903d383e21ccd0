/**
 * Built-in kernel facts for classifying sysctl keys (KERNEL.md §0, §2, §3; captured on Linux 6.18).
 *
 * Only the exceptions are listed. The defaults, applied by classifyKey, are:
 * - any other `net.*` key is per network namespace: scope 'net', childVisibility 'isolated' (R1, R2). This covers
 *   the per-interface trees `net.{ipv4,ipv6}.{conf,neigh}.<if>.*` and `net.mpls.conf.<if>.*` (R13), whatever
 *   the device is called, and the 12 keys KERNEL.md calls "read-only in both" (`mc_forwarding`,
 *   `nf_conntrack_count`, `tcp_ehash_entries`…), which are registered per netns. Three of those
 *   (`tcp_available_congestion_control`, `mptcp.available_{path_managers,schedulers}`) show a global, read-only
 *   list; they are not "mirrored" because the host cannot write them either.
 * - any other key (`kernel.*`, `vm.*`, `fs.*`, `dev.*`, `abi.*`, `debug.*`, …) is 'global' (R9) with
 *   childVisibility null. A fresh ipc/uts child sees these keys with the host's value and the same mode, and root
 *   in it can still write them and change the host (KERNEL.md §7.4). That is not 'isolated' (no own value),
 *   'mirrored' (not read-only) or 'absent', so the built-in table does not establish a visibility for them.
 */
import type { ChildVisibility, Scope } from '../sysctl/sysctl-types.js';

function under(prefix: string, names: readonly string[]): string[] {
  return names.map((name) => `${prefix}.${name}`);
}

/** Per-device parameters of a neighbour table (`neigh.default.*` has these 21 names on 6.18). */
// prettier-ignore
const NEIGH_DEFAULT_PARAMS: readonly string[] = [
  'anycast_delay', 'app_solicit', 'base_reachable_time', 'base_reachable_time_ms', 'delay_first_probe_time',
  'gc_interval', 'gc_stale_time', 'gc_thresh1', 'gc_thresh2', 'gc_thresh3', 'interval_probe_time_ms', 'locktime',
  'mcast_resolicit', 'mcast_solicit', 'proxy_delay', 'proxy_qlen', 'retrans_time', 'retrans_time_ms',
  'ucast_solicit', 'unres_qlen', 'unres_qlen_bytes',
];

/**
 * Subtrees registered for init_net only. `neigh.default` is the template copied into every new device's parms
 * and its gc_thresh* bound the single ARP/ND table shared by all netns (KERNEL.md §3.1, §3.3), so every key under
 * it is global and absent in a child, including parameters newer kernels may add.
 */
export const ABSENT_IN_CHILD_NET_SUBTREES: readonly string[] = [
  'net.ipv4.neigh.default.',
  'net.ipv6.neigh.default.',
];

/** The 104 net keys that do not exist in a non-init netns (KERNEL.md §3.1, kernel-data/absent.txt). */
// prettier-ignore
export const ABSENT_IN_CHILD_NET_KEYS: ReadonlySet<string> = new Set([
  ...under('net.core', [
    'bpf_jit_enable', 'bpf_jit_harden', 'bpf_jit_kallsyms', 'bpf_jit_limit', 'busy_poll', 'busy_read',
    'default_qdisc', 'dev_weight', 'dev_weight_rx_bias', 'dev_weight_tx_bias', 'devconf_inherit_init_net',
    'fb_tunnels_only_for_init_net', 'flow_limit_cpu_bitmap', 'flow_limit_table_len', 'gro_normal_batch',
    'high_order_alloc_disable', 'max_skb_frags', 'mem_pcpu_rsv', 'message_burst', 'message_cost',
    'netdev_budget', 'netdev_budget_usecs', 'netdev_max_backlog', 'netdev_rss_key', 'netdev_tstamp_prequeue',
    'netdev_unregister_timeout_secs', 'rps_sock_flow_entries', 'skb_defer_max', 'warnings',
  ]),
  ...under('net.ipv4', [
    'cipso_cache_bucket_size', 'cipso_cache_enable', 'cipso_rbm_optfmt', 'cipso_rbm_strictvalid', 'fib_sync_mem',
    'inet_peer_maxttl', 'inet_peer_minttl', 'inet_peer_threshold', 'ipfrag_secret_interval', 'tcp_available_ulp',
    'tcp_low_latency', 'tcp_max_orphans', 'tcp_mem', 'udp_mem',
  ]),
  ...under('net.ipv4.route', [
    'error_burst', 'error_cost', 'gc_elasticity', 'gc_interval', 'gc_min_interval', 'gc_min_interval_ms',
    'gc_thresh', 'gc_timeout', 'max_size', 'redirect_load', 'redirect_number', 'redirect_silence',
  ]),
  ...under('net.ipv4.neigh.default', NEIGH_DEFAULT_PARAMS),
  ...under('net.ipv6.neigh.default', NEIGH_DEFAULT_PARAMS),
  ...under('net.ipv6', [
    'calipso_cache_bucket_size', 'calipso_cache_enable', 'ip6frag_secret_interval', 'mld_max_msf', 'mld_qrv',
  ]),
  'net.netfilter.nf_log_all_netns',
  'net.nf_conntrack_max',
]);

/** Present in a child netns but forced read-only there, showing the global value (KERNEL.md §3.2). */
export const MIRRORED_NET_KEYS: ReadonlySet<string> = new Set([
  'net.core.rmem_default',
  'net.core.rmem_max',
  'net.core.wmem_default',
  'net.core.wmem_max',
  'net.ipv4.tcp_allowed_congestion_control',
  'net.netfilter.nf_conntrack_buckets',
  'net.netfilter.nf_conntrack_expect_max',
  'net.netfilter.nf_conntrack_max',
]);

/** A namespace type other than net that owns sysctls. */
export type NonNetNamespaceScope = Exclude<Scope, 'net' | 'global'>;

/**
 * Non-net keys owned by a namespace (KERNEL.md §2.2-2.5, kernel-data/nonnet-classification.tsv). A child
 * namespace has its own value for each of them, hence childVisibility 'isolated'. `kernel.cad_pid` sits in the
 * per-pidns table but reads and writes the global cad_pid, so it is deliberately not listed (global).
 */
export const NAMESPACED_NON_NET_KEYS: Readonly<Record<NonNetNamespaceScope, readonly string[]>> = {
  ipc: [
    ...under('kernel', ['shmmax', 'shmall', 'shmmni', 'shm_rmid_forced', 'msgmax', 'msgmnb', 'msgmni']),
    ...under('kernel', ['auto_msgmni', 'sem', 'sem_next_id', 'msg_next_id', 'shm_next_id']),
    ...under('fs.mqueue', ['queues_max', 'msg_max', 'msgsize_max', 'msg_default', 'msgsize_default']),
  ],
  uts: under('kernel', ['hostname', 'domainname', 'ostype', 'osrelease', 'version', 'arch']),
  // prettier-ignore
  user: under('user', [
    'max_user_namespaces', 'max_pid_namespaces', 'max_uts_namespaces', 'max_ipc_namespaces',
    'max_net_namespaces', 'max_mnt_namespaces', 'max_cgroup_namespaces', 'max_time_namespaces',
    'max_inotify_instances', 'max_inotify_watches', 'max_fanotify_groups', 'max_fanotify_marks',
  ]),
  pid: ['kernel.ns_last_pid', 'kernel.pid_max', 'vm.memfd_noexec'],
};

export interface NamespacedSubtree {
  /** Key prefix including the trailing dot. */
  readonly prefix: string;
  readonly scope: NonNetNamespaceScope;
}

/**
 * Whole subtrees owned by one namespace type: the mqueue table is registered per IPC namespace and every
 * `user.*` key is a ucount limit of the reader's user namespace, so keys a newer kernel adds there follow suit.
 */
export const NAMESPACED_NON_NET_SUBTREES: readonly NamespacedSubtree[] = [
  { prefix: 'fs.mqueue.', scope: 'ipc' },
  { prefix: 'user.', scope: 'user' },
];

/** Per-interface trees: `<family>.<table>.<if>.<param>`, where `<if>` is any device, `all` or `default`. */
export const PER_INTERFACE_NET_PATTERN =
  /^net\.(?:ipv4\.conf|ipv6\.conf|ipv4\.neigh|ipv6\.neigh|mpls\.conf)\.[^.]+\.[^.]+$/;

/** What the built-in table says about who owns a key. */
export interface BuiltinOwnership {
  readonly scope: Scope;
  readonly childVisibility: ChildVisibility | null;
}

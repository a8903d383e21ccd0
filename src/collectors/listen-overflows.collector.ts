import { measureAsSample } from '../domain/limits/pair-usage-samples.js';
import { parseNetstat } from '../domain/limits/parse-netstat.js';
import type { PendingUsage, UsageSample } from '../domain/limits/usage-pairs.js';
import type { CollectionTarget, Collector, CollectorOutput } from './collector.js';
import { ownNetFiles } from './net-target.js';

interface NetstatCounter {
  readonly name: string;
  readonly metric: string;
  readonly limitKey: string;
  /** Sampled only while the set reads this value of this key (pairing drops the sample otherwise). */
  readonly whileSetting?: { readonly key: string; readonly value: string };
}

/**
 * Failure counters of a listener's queues and of TCP memory (limit-metrics.ts says what each counts). In
 * tcp_conn_request() a SYN meets the SYN queue first: more requests than the listener's sk_max_ack_backlog =
 * min(listen() backlog, somaxconn) is "full", and tcp_syncookies decides between a drop (0: TCPReqQFullDrop)
 * and a cookie (1: TCPReqQFullDoCookies; 2 sends cookies for every SYN, so that counter says nothing of the
 * queue then). Then the accept queue, bounded by the same figure (ListenOverflows). Every drop also counts in
 * ListenDrops, as do the drops of tcp_max_syn_backlog's last-quarter rule, which has no counter of its own.
 */
const COUNTERS: readonly NetstatCounter[] = [
  { name: 'TcpExt.ListenOverflows', metric: 'tcp.listen_overflows.total', limitKey: 'net.core.somaxconn' },
  { name: 'TcpExt.ListenDrops', metric: 'tcp.listen_drops.total', limitKey: 'net.core.somaxconn' },
  { name: 'TcpExt.TCPReqQFullDrop', metric: 'tcp.syn_queue_drops.total', limitKey: 'net.core.somaxconn' },
  {
    name: 'TcpExt.TCPReqQFullDoCookies',
    metric: 'tcp.syn_queue_cookies.total',
    limitKey: 'net.core.somaxconn',
    whileSetting: { key: 'net.ipv4.tcp_syncookies', value: '1' },
  },
  { name: 'TcpExt.TCPMemoryPressures', metric: 'tcp.memory_pressures.total', limitKey: 'net.ipv4.tcp_mem' },
];
const COUNTER_NAMES: ReadonlySet<string> = new Set(COUNTERS.map((c) => c.name));

/**
 * Listen-queue and TCP-memory failure counters of each netns (cumulative TcpExt counters of
 * /proc/PID/net/netstat), tied to that netns's net.core.somaxconn or to the host-wide net.ipv4.tcp_mem. The
 * counter is stored; rates are computed on read.
 */
export class ListenOverflowsCollector implements Collector {
  readonly id = 'listen-overflows';

  async collect(target: CollectionTarget): Promise<CollectorOutput> {
    const files = ownNetFiles(target);
    if (files === null) return {};
    const text = await files.read('netstat');
    if (text === null) return {};
    const counters = parseNetstat(text, COUNTER_NAMES);
    const samples: UsageSample[] = [];
    for (const { name, metric, limitKey, whileSetting } of COUNTERS) {
      const value = counters.get(name);
      if (value === undefined) continue;
      const pending: PendingUsage | undefined = whileSetting && {
        kind: 'while-setting',
        ...whileSetting,
        usage: value,
      };
      samples.push(
        measureAsSample(
          { metric, usage: value, limitKey, usageKey: `/proc/PID/net/netstat ${name}` },
          pending,
        ),
      );
    }
    return { samples };
  }
}

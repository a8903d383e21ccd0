export interface KernelEventView {
  id: number;
  /** Signature id (`conntrack-table-full` …); the list is in src/domain/kmsg/kernel-signatures.ts. */
  signature: string;
  /** The implicated key. */
  key: string;
  /** Other keys governing the same limit. */
  relatedKeys: string[];
  /** Identity of the namespace set the line names (`host`, `net:…/ipc:…/uts:…`); null when the line does not say. */
  namespace: string | null;
  namespaceId: number | null;
  /** Network namespace inode named by the line (conntrack), even before any snapshot saw that namespace. */
  netInode: number | null;
  /** Containers and named netns in that network namespace. */
  owners: string[];
  firstAt: string;
  lastAt: string;
  /** Lines in the burst, plus suppressed net_ratelimit callbacks attributed to it (`suppressed`). */
  count: number;
  suppressed: number;
  sampleLine: string;
}

export interface KernelEventPage {
  items: KernelEventView[];
  /** True when more events matched than `limit`; the newest are returned. */
  truncated: boolean;
}

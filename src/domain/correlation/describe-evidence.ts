import { describeConfigDrift } from './config-drift-evidence.js';
import type { ChangeEvidence, Evidence, KernelEventEvidence } from './evidence-types.js';
import { limitKeyInfo, roomOf } from './limit-keys.js';

const METRIC_NOUNS: Readonly<Record<string, string>> = {
  'conntrack.entries': 'conntrack entries',
  'conntrack.drop.total': 'conntrack drops',
  'conntrack.early_drop.total': 'conntrack early drops',
  'conntrack.insert_failed.total': 'failed conntrack inserts',
  'files.allocated': 'open files',
  'aio.requests': 'AIO requests',
  'pty.allocated': 'ptys',
  'ports.in_use': 'ephemeral ports',
  'neighbours.entries': 'neighbour entries',
  'neighbours.table_entries': 'entries of the global neighbour table',
  'tcp.memory_pages': 'TCP memory pages',
  'tcp.listen_overflows.total': 'listen overflows (accept queue full)',
  'tcp.listen_drops.total': 'listen drops',
  'tcp.syn_queue_drops.total': 'SYNs dropped for a full SYN queue',
  'tcp.syn_queue_cookies.total': 'SYNs answered with syncookies for a full SYN queue',
  'tcp.memory_pressures.total': 'entries into TCP memory pressure',
  'neighbours.table_fulls.total': 'neighbour allocations refused for a full table',
  'tasks.threads': 'threads',
  'tasks.processes': 'processes',
  'ipc.shm_segments': 'shared-memory segments',
  'ipc.msg_queues': 'message queues',
  'ipc.sem_sets': 'semaphore sets',
};

/** One clause per piece of evidence, in the words of an operator. */
export function describeEvidence(item: Evidence): string {
  switch (item.kind) {
    case 'changed':
      return `it changed from ${show(item.before)} to ${show(item.after)} ${where(item.namespace, item.owners)} ${changeTime(item)}`;
    case 'saturated':
      return `${where(item.namespace, item.owners, 'subject')} held ${group(item.usage)} of ${group(item.limit)} ${METRIC_NOUNS[item.metric] ?? item.metric} (${Math.round(item.ratio * 100)}%) at ${clock(item.at)}`;
    case 'overflowed':
      return describeCounter(item);
    case 'own-value':
      return `${where(item.namespace, item.owners, 'subject')} runs it at ${valueOf(item.key, item.value)} ${item.atCreation ? 'since it was created' : `since ${clock(item.since)}`} (${references(item)})`;
    case 'kernel-event':
      return `the kernel logged '${item.sampleLine}' ${group(item.count)} time${item.count === 1 ? '' : 's'} between ${clock(item.firstAt)} and ${clock(item.lastAt)}${item.namespace ? ` for ${where(item.namespace, item.owners, 'subject')}` : ''}${describeDrops(item.drops)}`;
    case 'baseline-drift':
      return `it is ${show(item.here)} here but ${show(item.there)} on baseline '${item.baseline}'`;
    case 'declared-mismatch':
      return `container ${item.container} declared ${show(item.declared)} but ${show(item.effective)} is in force`;
    case 'config-drift':
      return describeConfigDrift(item);
  }
}

/** What a counter's rise did, and the limit it ran into, where a plain "counted N x" would say less. */
const COUNTER_STORIES: Readonly<
  Record<
    string,
    { readonly did: (n: number, perSecond: string) => string; readonly against: (limit: number) => string }
  >
> = {
  'tcp.syn_queue_drops.total': {
    did: (n, r) => `dropped ${group(n)} SYN${n === 1 ? '' : 's'} for a full SYN queue at ${r}/s`,
    against: (limit) => `against min(listen() backlog, somaxconn=${group(limit)}) with tcp_syncookies=0`,
  },
  'tcp.syn_queue_cookies.total': {
    did: (n, r) =>
      `answered ${group(n)} SYN${n === 1 ? '' : 's'} with syncookies for a full SYN queue at ${r}/s`,
    against: (limit) => `against min(listen() backlog, somaxconn=${group(limit)})`,
  },
  'tcp.memory_pressures.total': {
    did: (n, r) => `put TCP into memory pressure ${group(n)} time${n === 1 ? '' : 's'} (${r}/s)`,
    against: (limit) =>
      `against the host-wide tcp_mem (pressure above its 2nd field, allocations fail above ${group(limit)} pages)`,
  },
  'neighbours.table_fulls.total': {
    did: (n, r) => `found the neighbour table full ${group(n)} time${n === 1 ? '' : 's'} (${r}/s)`,
    against: (limit) => `against gc_thresh3=${group(limit)} (one table for every netns)`,
  },
};

function describeCounter(item: Extract<Evidence, { kind: 'overflowed' }>): string {
  const subject = where(item.namespace, item.owners, 'subject');
  const span = `between ${clock(item.from)} and ${clock(item.at)}`;
  const story = COUNTER_STORIES[item.metric];
  if (story)
    return `${subject} ${story.did(item.increase, rate(item.perSecond))} ${span} ${story.against(item.limit)}`;
  return `${subject} counted ${group(item.increase)} ${METRIC_NOUNS[item.metric] ?? item.metric} (${rate(item.perSecond)}/s) ${span} against a limit of ${group(item.limit)}`;
}

/** When a change happened, as far as the readings (and a kernel line that proves it) can say. */
function changeTime(item: ChangeEvidence): string {
  const by = item.changedBy ?? item.at;
  if (item.changedAfter === undefined) return `at ${clock(by)}`;
  if (item.changedAfter === null) return `by ${clock(by)}`;
  return `between ${clock(item.changedAfter)} and ${clock(by)}`;
}

const COUNTER_NOUNS: Readonly<Record<string, string>> = {
  'conntrack.drop.total': 'packets dropped for a full conntrack table',
  'conntrack.early_drop.total': 'conntrack entries evicted early',
};

/** The netns's own counters: the real size of a burst whose printed lines the global limiter capped. */
function describeDrops(drops: KernelEventEvidence['drops']): string {
  if (!drops) return '';
  const counts = Object.entries(drops.counters)
    .filter(([, n]) => n > 0)
    .map(([metric, n]) => `${group(n)} ${COUNTER_NOUNS[metric] ?? metric}`);
  if (counts.length === 0) return '';
  return ` (its own counters: ${counts.join(' and ')} between the readings at ${clock(drops.from)} and ${clock(drops.to)})`;
}

function references(item: Extract<Evidence, { kind: 'own-value' }>): string {
  const parts: string[] = [];
  if (item.host !== null) parts.push(`the host has ${valueOf(item.key, item.host)}`);
  if (item.fresh !== null) parts.push(`a fresh namespace gets ${valueOf(item.key, item.fresh)}`);
  if (item.baseline !== undefined)
    parts.push(`baseline '${item.baseline}' has ${valueOf(item.key, item.there ?? null)}`);
  return parts.join(', ');
}

/** A value, with the width of a range key's range: "40000 40009 (10 ports)". */
function valueOf(key: string, value: string | null): string {
  if (value === null || limitKeyInfo(key)?.class !== 'range') return show(value);
  const width = roomOf(key, value);
  return width === null ? show(value) : `${show(value)} (${group(width)} ports)`;
}

/** "netns of web-1" or "namespace set <identity>"; "the host" for the host. */
export function owner(namespace: string, owners: readonly string[]): string {
  if (namespace === 'host') return 'the host';
  return owners.length > 0 ? `netns of ${owners.join(', ')}` : `namespace set ${namespace}`;
}

function where(
  namespace: string | null,
  owners: readonly string[],
  form: 'place' | 'subject' = 'place',
): string {
  if (namespace === null || namespace === 'host') return form === 'place' ? 'on the host' : 'the host';
  const named = owner(namespace, owners);
  return form === 'place' ? `in the ${named}` : named;
}

export function show(value: string | null): string {
  if (value === null) return 'nothing';
  const trimmed = value.trim();
  // Runs of whitespace and tabs ("32768\t60999") become one space; most values have neither.
  return /\s\s|[^\S ]/.test(trimmed) ? trimmed.split(/\s+/).join(' ') : trimmed;
}

/** 65536 → "65 536", as in the issue's example sentence. */
export function group(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

function rate(perSecond: number): string {
  return perSecond >= 10 ? group(perSecond) : perSecond.toFixed(perSecond >= 1 ? 1 : 2);
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

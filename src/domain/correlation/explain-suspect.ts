import { describeConfigDrift } from './config-drift-evidence.js';
import type { ChangeEvidence, Evidence, KernelEventEvidence, KeyFacts } from './evidence-types.js';

const METRIC_NOUNS: Readonly<Record<string, string>> = {
  'conntrack.entries': 'conntrack entries',
  'files.allocated': 'open files',
  'aio.requests': 'AIO requests',
  'pty.allocated': 'ptys',
  'ports.in_use': 'ephemeral ports',
  'neighbours.entries': 'neighbour entries',
  'neighbours.table_entries': 'entries of the global neighbour table',
  'tcp.memory_pages': 'TCP memory pages',
  'tasks.threads': 'threads',
  'tasks.processes': 'processes',
  'ipc.shm_segments': 'shared-memory segments',
  'ipc.msg_queues': 'message queues',
  'ipc.sem_sets': 'semaphore sets',
};

/**
 * One sentence for a postmortem: what kind of setting the key is, then each piece of evidence in time order,
 * e.g. "net.netfilter.nf_conntrack_max is a host-wide limit (read-only inside containers); it changed from
 * 262144 to 64 on the host at 14:01:10; netns of container api-7 held 64 of 64 conntrack entries at 14:02:30;
 * the kernel logged 'nf_conntrack: table full, dropping packet' 1 214 times between 14:02:31 and 14:05:10".
 */
export function explainSuspect(key: string, facts: KeyFacts, evidence: readonly Evidence[]): string {
  const parts = [`${key} ${describeKey(facts)}`];
  for (const item of [...evidence].sort((a, b) => timeOf(a) - timeOf(b))) parts.push(describeEvidence(item));
  return parts.join('; ');
}

function describeKey(facts: KeyFacts): string {
  if (facts.scope === 'global') {
    if (facts.childVisibility === 'mirrored') return 'is a host-wide limit (read-only inside containers)';
    if (facts.childVisibility === 'absent')
      return 'is a host-wide setting (not even visible inside containers)';
    return 'is a host-wide setting shared by every container';
  }
  return `is set per ${facts.scope} namespace`;
}

function describeEvidence(item: Evidence): string {
  switch (item.kind) {
    case 'changed':
      return `it changed from ${show(item.before)} to ${show(item.after)} ${where(item.namespace, item.owners)} ${changeTime(item)}`;
    case 'saturated':
      return `${where(item.namespace, item.owners, 'subject')} held ${group(item.usage)} of ${group(item.limit)} ${METRIC_NOUNS[item.metric] ?? item.metric} (${Math.round(item.ratio * 100)}%) at ${clock(item.at)}`;
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

function where(
  namespace: string | null,
  owners: readonly string[],
  form: 'place' | 'subject' = 'place',
): string {
  if (namespace === null || namespace === 'host') return form === 'place' ? 'on the host' : 'the host';
  const named = owners.length > 0 ? `netns of ${owners.join(', ')}` : `namespace set ${namespace}`;
  return form === 'place' ? `in the ${named}` : named;
}

/** When a change happened, as far as the readings (and a kernel line that proves it) can say. */
function changeTime(item: ChangeEvidence): string {
  const by = item.changedBy ?? item.at;
  if (item.changedAfter === undefined) return `at ${clock(by)}`;
  if (item.changedAfter === null) return `by ${clock(by)}`;
  return `between ${clock(item.changedAfter)} and ${clock(by)}`;
}

function timeOf(item: Evidence): number {
  switch (item.kind) {
    case 'changed':
      return item.changedAfter ?? item.at;
    case 'saturated':
      return item.at;
    case 'kernel-event':
      return item.firstAt;
    default:
      return Number.NEGATIVE_INFINITY;
  }
}

function show(value: string | null): string {
  if (value === null) return 'nothing';
  const trimmed = value.trim();
  // Runs of whitespace and tabs ("32768\t60999") become one space; most values have neither.
  return /\s\s|[^\S ]/.test(trimmed) ? trimmed.split(/\s+/).join(' ') : trimmed;
}

/** 65536 → "65 536", as in the issue's example sentence. */
function group(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

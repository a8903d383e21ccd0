import type { Evidence, IncidentContext, KeyFacts, KeyValues } from './evidence-types.js';
import { describeEvidence, group, owner, show } from './describe-evidence.js';

export interface ExplainExtras {
  /** Other sets running into the same host-wide limit in the window. */
  readonly coConsumers?: readonly Evidence[];
  /** The key's value in force at the start, in the incident's set and on the host. */
  readonly values?: KeyValues | undefined;
  readonly context?: IncidentContext;
}

/**
 * Two sentences for a postmortem. The first says what kind of setting the key is, the value in force and
 * the host's, how a shared limit is shared and the effective figure where the kernel combines values; the
 * second lists the evidence in time order and names the co-consumers, e.g. "net.netfilter.nf_conntrack_max is
 * a host-wide limit (read-only inside containers), 64 on the host; each netns counts its own entries against
 * this one max, so no netns ate another's budget, and lowering it capped every netns. It changed from 262144
 * to 64 on the host at 14:01:10; netns of api-7 held 64 of 64 conntrack entries (100%) at 14:02:30; also
 * running into it: netns of batch-2 (60 of 64 conntrack entries)."
 */
export function explainSuspect(
  key: string,
  facts: KeyFacts,
  evidence: readonly Evidence[],
  extras: ExplainExtras = {},
): string {
  const first = [`${key} ${describeKey(facts)}`];
  const values = valueClause(facts, evidence, extras);
  if (values) first.push(values);
  const sharing = sharingClause(key, facts);
  const effective = effectiveClause(key, evidence, extras.values);
  const opening = `${first.join(', ')}${sharing ? `; ${sharing}` : ''}${effective ? `; ${effective}` : ''}`;
  const parts = [...evidence].sort((a, b) => timeOf(a) - timeOf(b)).map(describeEvidence);
  const co = extras.coConsumers ?? [];
  if (co.length > 0) parts.push(`also running into it: ${coConsumerList(co)}`);
  if (parts.length === 0) return `${opening}.`;
  const rest = parts.join('; ');
  return `${opening}. ${rest.charAt(0).toUpperCase()}${rest.slice(1)}.`;
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

function valueClause(facts: KeyFacts, evidence: readonly Evidence[], extras: ExplainExtras): string | null {
  if (evidence.some((e) => e.kind === 'own-value')) return null; // that evidence states both values
  const values = extras.values;
  if (!values) return null;
  if (facts.scope === 'global') return values.host === null ? null : `${show(values.host)} on the host`;
  const here = extras.context?.namespace ? values.here : null;
  if (here === null) return values.host === null ? null : `${show(values.host)} on the host`;
  if (values.host === null || values.host === here) return `${show(here)} in force (as on the host)`;
  return `${show(here)} in force (the host has ${show(values.host)})`;
}

/** How a host-wide limit is shared, where the kernel documents it (KERNEL.md R11). */
function sharingClause(key: string, facts: KeyFacts): string | null {
  if (facts.scope !== 'global') return null;
  if (key === 'net.netfilter.nf_conntrack_max')
    return 'each netns counts its own entries against this one host-wide max, so no netns ate another\u2019s budget, and lowering it capped every netns at once';
  if (facts.childVisibility === 'mirrored') return 'no container can raise it for itself';
  return null;
}

/** The effective figure where the kernel combines values: a listener's queues are min(backlog, somaxconn). */
function effectiveClause(
  key: string,
  evidence: readonly Evidence[],
  values: KeyValues | undefined,
): string | null {
  if (key !== 'net.core.somaxconn') return null;
  const own = evidence.find((e) => e.kind === 'own-value');
  const value = own?.kind === 'own-value' ? own.value : (values?.here ?? values?.host ?? null);
  const cap = value === null ? null : Number(value.trim());
  const bound = cap !== null && Number.isFinite(cap) ? `, so at most ${group(cap)}` : '';
  // tcp_conn_request(): the SYN queue is "full" past the same sk_max_ack_backlog as the accept queue.
  const synQueue = evidence.some((e) => e.kind === 'overflowed' && e.metric.startsWith('tcp.syn_queue_'));
  if (synQueue)
    return `a listener's SYN queue and accept queue are each min(listen() backlog, somaxconn)${bound}`;
  return `a listener's accept queue is min(listen() backlog, somaxconn)${bound}`;
}

function coConsumerList(items: readonly Evidence[]): string {
  const bySet = new Map<string, string>();
  for (const item of items) {
    if (!('namespace' in item) || item.namespace === null) continue;
    const name = owner(item.namespace, item.owners);
    const detail =
      item.kind === 'saturated'
        ? ` (${group(item.usage)} of ${group(item.limit)})`
        : item.kind === 'overflowed'
          ? ` (+${group(item.increase)} ${item.metric})`
          : '';
    if (!bySet.has(name) || detail) bySet.set(name, `${name}${detail}`);
  }
  return [...bySet.keys()]
    .sort()
    .map((name) => bySet.get(name))
    .join(', ');
}

function timeOf(item: Evidence): number {
  switch (item.kind) {
    case 'changed':
      return item.changedAfter ?? item.at;
    case 'saturated':
    case 'overflowed':
      return item.at;
    case 'kernel-event':
      return item.firstAt;
    case 'own-value':
      return item.since;
    default:
      return Number.NEGATIVE_INFINITY;
  }
}

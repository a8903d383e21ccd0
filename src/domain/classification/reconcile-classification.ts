/**
 * Reconciles the built-in classification of a key (classify-key.ts) with a read-only probe of the running kernel:
 * the mode of each file under /proc/sys on the host and in a fresh `unshare --net --ipc --uts` child
 * (src/os/kernel-probe.ts). The probe wins on disagreement; the disagreement is kept in the key's evidence.
 *
 * Rules for `net.*` keys (the only tree whose visibility changes in a child, KERNEL.md R1, R2, §7.2):
 * - not listed in the child                           → global / absent   (registered for init_net only)
 * - writable in the child                             → net / isolated    (own per-netns storage, R2)
 * - read-only in the child, writable on the host      → global / mirrored (the host's value, forced 0444)
 * - read-only in both (nf_conntrack_count, mc_forwarding, tcp_available_congestion_control)
 *                                                     → net / isolated    (registered per netns; nobody can write
 *   it, so there is no shared setting to leak: the value is the child's own or a read-only list)
 * Write bits are the test, not read bits: the write-only `route.flush` (0200) is isolated.
 *
 * Per-interface keys (`net.{ipv4,ipv6}.{conf,neigh}.<if>.*`, `net.mpls.conf.<if>.*`, R13): a fresh child has only
 * `lo`, so a host device key takes its child evidence from the same parameter of `lo`
 * (`net.ipv4.conf.eth0.forwarding` ← `net.ipv4.conf.lo.forwarding`). `all`, `default` and `lo` are compared as
 * themselves (`net.ipv4.neigh.default.*` is absent in a child, `net.ipv4.conf.default.*` is not). Without a `lo`
 * counterpart in the child the probe is not conclusive and the table decides, so device keys are never "absent".
 *
 * Every other key (`kernel.*`, `vm.*`, `fs.*`, `user.*`…): IPC and UTS namespaces change values, not visibility
 * (KERNEL.md §7.4): the same files with the same modes appear in the child. The probe cannot tell an own value
 * from a shared one, so scope and visibility come from the table (IPC/UTS/user/pid-owned keys, everything else
 * global) and the observed modes are only recorded.
 */
import type { ChildVisibility, KeyClassification, Scope } from '../sysctl/sysctl-types.js';
import { PER_INTERFACE_NET_PATTERN } from './builtin-classification.js';

/** Host and child listings of one probe run: key → permission bits (0o644). */
export interface ProbeListing {
  readonly kernelRelease: string;
  readonly hostModes: ReadonlyMap<string, number>;
  readonly childModes: ReadonlyMap<string, number>;
}

/** What the probe saw for one key. `childKey` names the child key used when it is not `key` itself (lo). */
export interface KeyProbeInput {
  readonly kernelRelease: string;
  readonly hostMode: number | undefined;
  readonly childMode: number | undefined;
  readonly childKey?: string;
}

export type EvidenceMethod = 'unshare-probe' | 'builtin-table';

/** What the modes showed, or why the probe did not decide. */
export type ProbeObservation =
  | 'absent-in-child'
  | 'writable-in-child'
  | 'read-only-in-child'
  | 'read-only-in-both'
  | 'not-on-host'
  | 'no-child-counterpart'
  | 'not-net'
  | 'not-probed';

/** JSON-serialisable evidence stored with a key's classification. */
export interface KeyEvidence {
  readonly method: EvidenceMethod;
  readonly observation: ProbeObservation;
  /** `uname -r` of the kernel probed; null when no probe ran. */
  readonly kernelRelease: string | null;
  /** Octal permission bits (`0644`), null when the file was not listed. */
  readonly hostMode: string | null;
  readonly childMode: string | null;
  /** The child key compared when it differs from the key (per-interface keys → `lo`). */
  readonly childKey?: string;
  readonly builtin: { readonly scope: Scope; readonly childVisibility: ChildVisibility | null };
  /** What the built-in table said versus what this kernel showed; present only when they differ. */
  readonly disagreement?: string;
}

export interface ReconciledClassification {
  readonly classification: KeyClassification;
  readonly evidence: KeyEvidence;
}

const WRITE_BITS = 0o222;
const UNNORMALISED_DEVICES: ReadonlySet<string> = new Set(['all', 'default', 'lo']);

/** The child key whose mode is evidence for `key`: the `lo` counterpart of a per-device key, else the key. */
export function childCounterpartKey(key: string): string {
  if (!PER_INTERFACE_NET_PATTERN.test(key)) return key;
  const segments = key.split('.'); // net.<family>.<table>.<if>.<param>; a dot inside <if> is written `/`
  if (UNNORMALISED_DEVICES.has(segments[3] ?? '')) return key;
  segments[3] = 'lo';
  return segments.join('.');
}

/** Looks up the probe evidence for one key, normalising the interface segment of per-device keys. */
export function probeInputFor(key: string, listing: ProbeListing): KeyProbeInput {
  const childKey = childCounterpartKey(key);
  const hostMode = listing.hostModes.get(key) ?? listing.hostModes.get(childKey);
  const childMode = listing.childModes.get(childKey);
  const base = { kernelRelease: listing.kernelRelease, hostMode, childMode };
  return childKey === key ? base : { ...base, childKey };
}

function octal(mode: number | undefined): string | null {
  return mode === undefined ? null : mode.toString(8).padStart(4, '0');
}

interface ProbeVerdict {
  readonly observation: ProbeObservation;
  readonly scope: Scope;
  readonly childVisibility: ChildVisibility;
}

function verdict(hostMode: number, childMode: number | undefined): ProbeVerdict {
  if (childMode === undefined) {
    return { observation: 'absent-in-child', scope: 'global', childVisibility: 'absent' };
  }
  if ((childMode & WRITE_BITS) !== 0) {
    return { observation: 'writable-in-child', scope: 'net', childVisibility: 'isolated' };
  }
  if ((hostMode & WRITE_BITS) !== 0) {
    return { observation: 'read-only-in-child', scope: 'global', childVisibility: 'mirrored' };
  }
  return { observation: 'read-only-in-both', scope: 'net', childVisibility: 'isolated' };
}

const SEEN: Readonly<Record<ProbeObservation, string>> = {
  'absent-in-child': 'not listed in a fresh child netns',
  'writable-in-child': 'writable in a fresh child netns',
  'read-only-in-child': 'read-only in a fresh child netns but writable on the host',
  'read-only-in-both': 'read-only both in a fresh child netns and on the host',
  'not-on-host': 'not listed on the host',
  'no-child-counterpart': 'no counterpart in a fresh child netns',
  'not-net': 'the same in a child ipc/uts namespace',
  'not-probed': 'not probed',
};

function pair(scope: Scope, childVisibility: ChildVisibility | null): string {
  return `${scope}/${childVisibility ?? 'unknown'}`;
}

function disagreementText(builtin: KeyClassification, v: ProbeVerdict, p: KeyProbeInput): string {
  const modes = `host ${octal(p.hostMode) ?? 'absent'}, child ${octal(p.childMode) ?? 'absent'}`;
  const via = p.childKey === undefined ? '' : ` (via ${p.childKey})`;
  return (
    `built-in table says ${pair(builtin.scope, builtin.childVisibility)}; on kernel ${p.kernelRelease} the key is ` +
    `${SEEN[v.observation]}${via} (${modes}), so ${pair(v.scope, v.childVisibility)}`
  );
}

/**
 * Final classification of one key. `probe` null (no root, no unshare, EPERM, timeout) keeps the built-in table.
 * `volatile` always comes from the table: the probe sees modes, not whether a value is a counter.
 */
export function reconcileClassification(
  key: string,
  builtin: KeyClassification,
  probe: KeyProbeInput | null,
): ReconciledClassification {
  const table = { scope: builtin.scope, childVisibility: builtin.childVisibility };
  const fromTable = (observation: ProbeObservation): ReconciledClassification => ({
    classification: builtin,
    evidence: {
      method: 'builtin-table',
      observation,
      kernelRelease: probe?.kernelRelease ?? null,
      hostMode: octal(probe?.hostMode),
      childMode: octal(probe?.childMode),
      ...(probe?.childKey === undefined ? {} : { childKey: probe.childKey }),
      builtin: table,
    },
  });
  if (probe === null) return fromTable('not-probed');
  if (!key.startsWith('net.')) return fromTable('not-net');
  if (probe.hostMode === undefined) return fromTable('not-on-host');
  if (probe.childMode === undefined && probe.childKey !== undefined) return fromTable('no-child-counterpart');

  const v = verdict(probe.hostMode, probe.childMode);
  const agrees = v.scope === builtin.scope && v.childVisibility === builtin.childVisibility;
  const evidence = fromTable(v.observation).evidence;
  return {
    classification: { ...builtin, scope: v.scope, childVisibility: v.childVisibility, source: 'probe' },
    evidence: {
      ...evidence,
      method: 'unshare-probe',
      ...(agrees ? {} : { disagreement: disagreementText(builtin, v, probe) }),
    },
  };
}

/** Counts over reconciled keys, for one log line at start. */
export interface ProbeSummary {
  readonly kernelRelease: string | null;
  readonly keys: number;
  readonly decidedByProbe: number;
  readonly isolated: number;
  readonly mirrored: number;
  readonly absent: number;
  /** childVisibility null: global keys outside net (the probe cannot establish one, see above). */
  readonly undetermined: number;
  readonly disagreements: number;
  readonly disagreementKeys: readonly string[];
}

export function summarizeProbe(
  results: Iterable<{ readonly key: string } & ReconciledClassification>,
): ProbeSummary {
  let kernelRelease: string | null = null;
  let keys = 0;
  let decidedByProbe = 0;
  const visibility = { isolated: 0, mirrored: 0, absent: 0, undetermined: 0 };
  const disagreementKeys: string[] = [];
  for (const { key, classification, evidence } of results) {
    keys += 1;
    kernelRelease ??= evidence.kernelRelease;
    if (evidence.method === 'unshare-probe') decidedByProbe += 1;
    visibility[classification.childVisibility ?? 'undetermined'] += 1;
    if (evidence.disagreement !== undefined) disagreementKeys.push(key);
  }
  disagreementKeys.sort();
  return {
    kernelRelease,
    keys,
    decidedByProbe,
    ...visibility,
    disagreements: disagreementKeys.length,
    disagreementKeys,
  };
}

import { NET_RATELIMIT_SIGNATURE } from './kernel-signatures.js';
import type { SignatureMatch } from './match-kernel-signature.js';

/** A kernel record that matched a signature, with its wall time. */
export interface MatchedLine {
  readonly match: SignatureMatch;
  readonly seq: number;
  /** Epoch ms. */
  readonly at: number;
  readonly line: string;
}

/** One stored row of kernel_events: a burst of one signature in one namespace. */
export interface KernelEventBurst {
  /** Row id; null until the burst is first stored. */
  readonly storedId: number | null;
  readonly signature: string;
  readonly key: string;
  readonly netInode: number | null;
  readonly limiter: 'net' | 'other';
  readonly firstAt: number;
  readonly lastAt: number;
  /** Lines printed, plus the net_ratelimit callbacks suppressed that were attributed to the burst. */
  readonly count: number;
  /** The part of `count` that came from "net_ratelimit: N callbacks suppressed". */
  readonly suppressed: number;
  readonly sampleLine: string;
  readonly firstSeq: number;
  readonly lastSeq: number;
}

export interface Coalesced {
  /** Bursts created or grown by these lines: insert those without storedId, update the others. */
  readonly changed: readonly KernelEventBurst[];
  /** Bursts still open at `now` (last line within the quiet gap), one per coalescing key; same objects. */
  readonly open: readonly KernelEventBurst[];
}

type Draft = { -readonly [K in keyof KernelEventBurst]: KernelEventBurst[K] };

export function coalescingKey(b: Pick<KernelEventBurst, 'signature' | 'key' | 'netInode'>): string {
  return `${b.signature}\u0000${b.key}\u0000${b.netInode ?? ''}`;
}

/**
 * Folds matched lines (in sequence order) into bursts: a line joins the open burst of its signature, key and
 * namespace when it comes within `quietGapMs` of that burst's last line; otherwise it opens a new one. A storm
 * of 10 000 lines thus costs one row per quiet gap.
 *
 * "net_ratelimit: N callbacks suppressed" counts messages of any net_*_ratelimited caller swallowed by the one
 * global limiter since its previous window. They are attributed to the most recent net-limited burst (by
 * sequence) when its last line is within the quiet gap: N is added to its count and to `suppressed`, and its
 * times stay as printed. Otherwise the suppressed count becomes a burst of its own signature.
 */
export function coalesceKernelEvents(
  open: readonly KernelEventBurst[],
  lines: readonly MatchedLine[],
  quietGapMs: number,
  now: number,
): Coalesced {
  const byKey = new Map<string, Draft>();
  let lastNet: Draft | null = null;
  for (const burst of [...open].sort((a, b) => a.lastSeq - b.lastSeq)) {
    const draft: Draft = { ...burst };
    byKey.set(coalescingKey(draft), draft);
    if (draft.limiter === 'net') lastNet = draft;
  }
  const changed = new Set<Draft>();
  for (const line of lines) {
    const { match } = line;
    const weight = match.signature === NET_RATELIMIT_SIGNATURE ? match.suppressed : 1;
    if (match.signature === NET_RATELIMIT_SIGNATURE && lastNet && line.at - lastNet.lastAt <= quietGapMs) {
      lastNet.count += weight;
      lastNet.suppressed += weight;
      lastNet.lastSeq = Math.max(lastNet.lastSeq, line.seq);
      changed.add(lastNet);
      continue;
    }
    const key = coalescingKey({ signature: match.signature, key: match.key, netInode: match.netInode });
    let draft = byKey.get(key);
    if (draft && line.at - draft.lastAt <= quietGapMs) {
      draft.lastAt = Math.max(draft.lastAt, line.at);
      draft.count += weight;
      draft.lastSeq = line.seq;
    } else {
      draft = newDraft(line, weight);
      byKey.set(key, draft);
    }
    if (match.signature === NET_RATELIMIT_SIGNATURE) draft.suppressed += weight;
    if (draft.limiter === 'net') lastNet = draft;
    changed.add(draft);
  }
  const frozen = new Map<Draft, KernelEventBurst>();
  const freeze = (d: Draft): KernelEventBurst => {
    const found = frozen.get(d) ?? Object.freeze({ ...d });
    frozen.set(d, found);
    return found;
  };
  return {
    changed: [...changed].map(freeze),
    open: [...byKey.values()].filter((d) => now - d.lastAt <= quietGapMs).map(freeze),
  };
}

function newDraft(line: MatchedLine, weight: number): Draft {
  return {
    storedId: null,
    signature: line.match.signature,
    key: line.match.key,
    netInode: line.match.netInode,
    limiter: line.match.limiter,
    firstAt: line.at,
    lastAt: line.at,
    count: weight,
    suppressed: 0,
    sampleLine: line.line,
    firstSeq: line.seq,
    lastSeq: line.seq,
  };
}

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
  /** Lines the kernel printed in the burst (for `net-ratelimit-suppressed`: "callbacks suppressed" lines). */
  readonly count: number;
  /**
   * Only on `net-ratelimit-suppressed` bursts (0 on every other): the sum of N over its lines, messages of any
   * net_*_ratelimited caller anywhere on the host that the one global limiter swallowed.
   */
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
 * of 10 000 lines thus costs one row per quiet gap, and `count` is the number of lines the kernel printed.
 *
 * "net_ratelimit: N callbacks suppressed" counts messages of any net_*_ratelimited caller (every netns, every
 * signature, and callers we do not match) swallowed by the one global limiter since its previous window
 * (KERNEL.md §9, §12). It cannot be credited to any burst: its lines make host-wide bursts of their own
 * signature (no namespace), whose `suppressed` sums N. A netns's own magnitude comes from its drop counters.
 */
export function coalesceKernelEvents(
  open: readonly KernelEventBurst[],
  lines: readonly MatchedLine[],
  quietGapMs: number,
  now: number,
): Coalesced {
  const byKey = new Map<string, Draft>();
  for (const burst of open) byKey.set(coalescingKey(burst), { ...burst });
  const changed = new Set<Draft>();
  for (const line of lines) {
    const { match } = line;
    const key = coalescingKey({ signature: match.signature, key: match.key, netInode: match.netInode });
    let draft = byKey.get(key);
    if (draft && line.at - draft.lastAt <= quietGapMs) {
      draft.lastAt = Math.max(draft.lastAt, line.at);
      draft.count += 1;
      draft.lastSeq = line.seq;
    } else {
      draft = newDraft(line);
      byKey.set(key, draft);
    }
    if (match.signature === NET_RATELIMIT_SIGNATURE) draft.suppressed += match.suppressed;
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

function newDraft(line: MatchedLine): Draft {
  return {
    storedId: null,
    signature: line.match.signature,
    key: line.match.key,
    netInode: line.match.netInode,
    limiter: line.match.limiter,
    firstAt: line.at,
    lastAt: line.at,
    count: 1,
    suppressed: 0,
    sampleLine: line.line,
    firstSeq: line.seq,
    lastSeq: line.seq,
  };
}

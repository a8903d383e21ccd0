import { KERNEL_SIGNATURES, NET_RATELIMIT_SIGNATURE } from './kernel-signatures.js';

export interface SignatureMatch {
  readonly signature: string;
  readonly key: string;
  /** The network namespace the line names (inode), or null when the line does not say. */
  readonly netInode: number | null;
  readonly limiter: 'net' | 'other';
  /** For `net-ratelimit-suppressed`: how many messages the limiter swallowed; else 0. */
  readonly suppressed: number;
}

export interface MatchContext {
  /**
   * Net inode of init_net when this kernel prints the plain conntrack "table full" form only for init_net
   * (and `in netns %u` for the others, 6.18); null on older kernels, where the plain form may come from any netns.
   */
  readonly plainConntrackNetInode: number | null;
}

/** Finds the signature of a kernel message (decoded text, kernel facility); null when none matches. */
export function matchKernelSignature(message: string, context: MatchContext): SignatureMatch | null {
  for (const signature of KERNEL_SIGNATURES) {
    const match = signature.pattern.exec(message);
    if (!match) continue;
    let netInode: number | null = null;
    if (signature.netns === 'conntrack') {
      netInode = match[1] !== undefined ? Number(match[1]) : context.plainConntrackNetInode;
    }
    return {
      signature: signature.id,
      key: signature.keyOf(match),
      netInode: netInode !== null && Number.isSafeInteger(netInode) ? netInode : null,
      limiter: signature.limiter,
      suppressed: signature.id === NET_RATELIMIT_SIGNATURE ? Number(match[1]) : 0,
    };
  }
  return null;
}

const RELEASE = /^(\d+)\.(\d+)/;

/**
 * Whether this kernel prints the plain "table full, dropping packet" only for init_net. The `in netns %u`
 * variant landed in 2025 (exact release unconfirmed, KERNEL.md §5); it is in 6.18, so 6.18 and later say yes
 * and anything older says no (an unattributed event beats a wrong one).
 */
export function plainConntrackMeansInitNet(release: string): boolean {
  const match = RELEASE.exec(release.trim());
  if (!match) return false;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return major > 6 || (major === 6 && minor >= 18);
}

/**
 * A sysctl key is the dotted form of a path under /proc/sys. A dot inside one path segment (a VLAN device
 * `eth0.100`) is shown as `/`, the convention of procps sysctl: `net.ipv4.conf.eth0/100.forwarding`.
 */
export function keyFromSegments(segments: readonly string[]): string {
  return segments.map((s) => s.replaceAll('.', '/')).join('.');
}

const KEY_PATTERN = /^[A-Za-z0-9_\-/:@+]+(\.[A-Za-z0-9_\-/:@+]+)*$/;

/** True for strings that have the shape of a sysctl key (used to validate request input, never to build paths). */
export function isWellFormedKey(candidate: string): boolean {
  return (
    candidate.length > 0 &&
    candidate.length <= 256 &&
    KEY_PATTERN.test(candidate) &&
    !candidate.includes('..')
  );
}

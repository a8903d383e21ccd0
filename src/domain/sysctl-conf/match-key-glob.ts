/** True when a dotted key contains glob characters, as systemd's string_is_glob asks (`*`, `?`, `[`). */
export function isKeyGlob(key: string): boolean {
  return /[*?[]/.test(key);
}

type Token = { readonly kind: 'star' } | { readonly kind: 'one'; readonly test: (c: string) => boolean };

/** `[abc]`, `[a-z]`, `[!x]`: returns the test and the index after `]`, or null when unterminated. */
function bracket(pattern: string, start: number): { test: (c: string) => boolean; end: number } | null {
  let i = start + 1;
  const negate = pattern[i] === '!' || pattern[i] === '^';
  if (negate) i += 1;
  const ranges: Array<[string, string]> = [];
  let first = true;
  while (i < pattern.length && (pattern[i] !== ']' || first)) {
    const lo = pattern[i] ?? '';
    if (pattern[i + 1] === '-' && pattern[i + 2] !== undefined && pattern[i + 2] !== ']') {
      ranges.push([lo, pattern[i + 2] ?? lo]);
      i += 3;
    } else {
      ranges.push([lo, lo]);
      i += 1;
    }
    first = false;
  }
  if (i >= pattern.length) return null;
  const inSet = (c: string): boolean => ranges.some(([lo, hi]) => c >= lo && c <= hi);
  return { test: (c) => inSet(c) !== negate, end: i + 1 };
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i] ?? '';
    const b = c === '[' ? bracket(pattern, i) : null;
    if (c === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
      i += 1;
    } else if (c === '?') {
      tokens.push({ kind: 'one', test: () => true });
      i += 1;
    } else if (b !== null) {
      tokens.push({ kind: 'one', test: b.test });
      i = b.end;
    } else {
      tokens.push({ kind: 'one', test: (x) => x === c });
      i += 1;
    }
  }
  return tokens;
}

/** fnmatch of one segment, in O(pattern × text) at worst: greedy, backing up only to the last star. */
function matchSegment(tokens: readonly Token[], text: string): boolean {
  let t = 0;
  let p = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const token = tokens[p];
    if (token?.kind === 'one' && token.test(text[t] ?? '')) {
      p += 1;
      t += 1;
    } else if (token?.kind === 'star') {
      starP = p;
      starT = t;
      p += 1;
    } else if (starP >= 0) {
      p = starP + 1;
      starT += 1;
      t = starT;
    } else {
      return false;
    }
  }
  while (tokens[p]?.kind === 'star') p += 1;
  return p === tokens.length;
}

/**
 * Compiles a glob over dotted keys the way glob(3) matches /proc/sys paths: wildcards never cross a separator,
 * so `net.ipv4.conf.*.rp_filter` matches `net.ipv4.conf.eth0/100.rp_filter` (segment `eth0.100`) but not a key
 * with another number of segments.
 */
export function compileKeyGlob(glob: string): (key: string) => boolean {
  const segments = glob.split('.').map((s) => tokenize(s.replaceAll('/', '.')));
  return (key) => {
    const parts = key.split('.');
    if (parts.length !== segments.length) return false;
    return parts.every((part, i) => matchSegment(segments[i] ?? [], part.replaceAll('/', '.')));
  };
}

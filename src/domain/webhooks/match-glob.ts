/**
 * Subscription filters are globs: `*` matches any run of characters (dots included, so `fs.*` covers
 * `fs.inotify.max_user_watches`), `?` matches one character. Nothing else is special.
 */
const KEY_GLOB = /^[A-Za-z0-9_\-/:@+*?]+(\.[A-Za-z0-9_\-/:@+*?]+)*$/;
/** Namespace names: identities (`net:4026531840/ipc:…`), container names and ids, netns names. */
const NAMESPACE_GLOB = /^[A-Za-z0-9_\-/:@+.*?]+$/;
const MAX_GLOB_LENGTH = 256;
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

export type GlobKind = 'key' | 'namespace';

/** Why a glob is not acceptable, or null when it is. */
export function globProblem(pattern: string, kind: GlobKind): string | null {
  if (pattern.length === 0) return 'is empty';
  if (pattern.length > MAX_GLOB_LENGTH) return `is longer than ${MAX_GLOB_LENGTH} characters`;
  if (/\*{3,}/.test(pattern)) return 'has a run of three or more *';
  const shape = kind === 'key' ? KEY_GLOB : NAMESPACE_GLOB;
  if (!shape.test(pattern)) {
    return kind === 'key'
      ? 'is not a key pattern (dotted segments of letters, digits, _-/:@+, with * and ? as wildcards)'
      : 'has characters other than letters, digits, _-/:@+. and the wildcards * ?';
  }
  return null;
}

/**
 * True when the whole of `name` matches the valid glob `pattern` (`*` any run, `?` one character, the rest
 * literal). Greedy two-pointer walk that, on a mismatch, only ever goes back to the last `*` seen: that star's
 * span grows by one character per retry and earlier stars are never revisited, so the cost is at most
 * pattern × name steps. The regular expression this replaces backtracked through every split between stars: a
 * valid 29-character glob held the event loop for 50 s on one long key.
 */
export function matchGlob(pattern: string, name: string): boolean {
  // A valid glob has no line terminator, and a regular expression's `.` (the old wildcards) matched none.
  if (LINE_TERMINATOR.test(name)) return false;
  let p = 0;
  let n = 0;
  let star = -1;
  let starEnd = 0;
  while (n < name.length) {
    const c = pattern[p];
    if (c === '*') {
      star = p++;
      starEnd = n;
    } else if (c !== undefined && (c === '?' || c === name[n])) {
      p++;
      n++;
    } else if (star >= 0) {
      p = star + 1;
      n = ++starEnd;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** True when any of `names` matches any of `patterns`. */
export function matchesAnyGlob(patterns: readonly string[], names: readonly string[]): boolean {
  return patterns.some((pattern) => names.some((name) => matchGlob(pattern, name)));
}

/**
 * Subscription filters are globs: `*` matches any run of characters (dots included, so `fs.*` covers
 * `fs.inotify.max_user_watches`), `?` matches one character. Nothing else is special.
 */
const KEY_GLOB = /^[A-Za-z0-9_\-/:@+*?]+(\.[A-Za-z0-9_\-/:@+*?]+)*$/;
/** Namespace names: identities (`net:4026531840/ipc:…`), container names and ids, netns names. */
const NAMESPACE_GLOB = /^[A-Za-z0-9_\-/:@+.*?]+$/;
const MAX_GLOB_LENGTH = 256;

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

/** Compiles a valid glob to an anchored regular expression. */
export function globToRegExp(pattern: string): RegExp {
  const body = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

/** True when any of `names` matches any of `patterns`. */
export function matchesAnyGlob(patterns: readonly string[], names: readonly string[]): boolean {
  return patterns.some((p) => {
    const re = globToRegExp(p);
    return names.some((name) => re.test(name));
  });
}

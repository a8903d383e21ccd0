import type { ConfFileEntry } from './sysctl-conf-types.js';

/** The directories systemd-sysctl reads, highest precedence first (sysctl.d(5)). */
export const SYSCTL_CONF_DIRS: readonly string[] = [
  '/etc/sysctl.d',
  '/run/sysctl.d',
  '/usr/local/lib/sysctl.d',
  '/usr/lib/sysctl.d',
  '/lib/sysctl.d',
];

/** Read after every sysctl.d file (as `sysctl --system` does), unless a sysctl.d entry already is this file. */
export const LEGACY_SYSCTL_CONF = '/etc/sysctl.conf';

/**
 * The files to parse, in the order systemd-sysctl parses them: every `*.conf` name once, from the
 * highest-precedence directory that has it (a same-named file in a later directory is masked, and so is the name
 * when that first file is masked), sorted by file name regardless of directory. Later files override earlier ones.
 * `dirs` gives the precedence; entries of other directories are ignored.
 */
export function orderConfFiles(
  entries: readonly ConfFileEntry[],
  dirs: readonly string[] = SYSCTL_CONF_DIRS,
): string[] {
  const rank = new Map(dirs.map((dir, i) => [dir, i]));
  const winner = new Map<string, ConfFileEntry>();
  for (const entry of entries) {
    const r = rank.get(entry.dir);
    if (r === undefined || !entry.name.endsWith('.conf')) continue;
    const held = winner.get(entry.name);
    if (held === undefined || r < (rank.get(held.dir) ?? Infinity)) winner.set(entry.name, entry);
  }
  return [...winner.values()]
    .filter((entry) => !entry.masked)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((entry) => `${entry.dir}/${entry.name}`);
}
